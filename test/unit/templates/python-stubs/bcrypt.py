# A stand-in for bcrypt (installed only in the hub image): a salted "hash" that checkpw can compare.
import os


def gensalt():
    return os.urandom(4).hex().encode()


def hashpw(password, salt):
    return b'$stub$' + salt[-8:] + b'$' + password[::-1]


def checkpw(password, hashed):
    return hashpw(password, hashed.split(b'$')[2]) == hashed

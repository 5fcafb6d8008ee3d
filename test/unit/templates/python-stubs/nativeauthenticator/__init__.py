# A stand-in for the real package (installed only in the hub image): the config only subclasses it at import.
class NativeAuthenticator:
    pass

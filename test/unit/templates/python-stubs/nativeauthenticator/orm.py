# A stand-in for NativeAuthenticator's UserInfo (its users_info table) over a dict: `db.accounts` by user name.
class UserInfo:
    def __init__(self, **fields):
        self.is_authorized = False
        self.__dict__.update(fields)

    @classmethod
    def find(cls, db, username):
        return db.accounts.get(username)

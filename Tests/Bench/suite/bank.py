# bank: an account and inventory simulation that raises and catches custom exceptions per
# operation: a class hierarchy of errors with super().__init__, raise ... from, finally, re-raise.
import sys


class BankError(Exception):
    def __init__(self, account, message):
        super().__init__(f"{account}: {message}")
        self.account = account


class InsufficientFunds(BankError):
    def __init__(self, account, needed):
        super().__init__(account, f"needs {needed}")
        self.needed = needed


class AccountFrozen(BankError):
    pass


class LimitExceeded(BankError):
    pass


class TransferFailed(Exception):
    pass


class Account:
    def __init__(self, name, balance, limit):
        self.name = name
        self.balance = balance
        self.limit = limit
        self.frozen = False
        self.ops = 0

    def withdraw(self, amount):
        self.ops += 1
        if self.frozen:
            raise AccountFrozen(self.name, "frozen")
        if amount > self.limit:
            raise LimitExceeded(self.name, f"limit {self.limit}")
        if amount > self.balance:
            raise InsufficientFunds(self.name, amount - self.balance)
        self.balance -= amount

    def deposit(self, amount):
        self.ops += 1
        if self.frozen:
            raise AccountFrozen(self.name, "frozen")
        self.balance += amount


class Bank:
    def __init__(self, n):
        self.accounts = [Account(f"acct{i:03d}", 1000 + i * 10, 300 + i % 7 * 50) for i in range(n)]
        self.log = {"ok": 0, "funds": 0, "frozen": 0, "limit": 0, "rollback": 0}
        self.in_flight = 0

    def transfer(self, src, dst, amount):
        self.in_flight += 1
        try:
            src.withdraw(amount)
            try:
                dst.deposit(amount)
            except AccountFrozen as e:
                src.deposit(amount)
                self.log["rollback"] += 1
                raise TransferFailed(f"rolled back {amount}") from e
        finally:
            self.in_flight -= 1
        self.log["ok"] += 1

    def run(self, steps):
        n = len(self.accounts)
        seed = 42
        failures = 0
        for step in range(steps):
            seed = (seed * 1664525 + 1013904223) % 4294967296
            a = self.accounts[seed % n]
            b = self.accounts[(seed >> 8) % n]
            amount = (seed >> 16) % 600 + 1
            if step % 997 == 0:
                a.frozen = not a.frozen
            try:
                try:
                    self.transfer(a, b, amount)
                except InsufficientFunds as e:
                    self.log["funds"] += 1
                    if e.needed > 500:
                        raise
                except LimitExceeded:
                    self.log["limit"] += 1
                except AccountFrozen:
                    self.log["frozen"] += 1
            except BankError as e:
                failures += 1
                e.account.startswith("acct")
            except TransferFailed as e:
                failures += 1
                assert isinstance(e.__cause__, AccountFrozen)
        return failures


def validate(records):
    bad = 0
    for rec in records:
        try:
            if not isinstance(rec, dict):
                raise TypeError("not a record")
            qty = int(rec["qty"])
            if qty < 0:
                raise ValueError("negative")
        except (KeyError, ValueError, TypeError):
            bad += 1
    return bad


n = int(sys.argv[1]) if len(sys.argv) > 1 else 250000
bank = Bank(50)
failures = bank.run(n)
print(failures, sorted(bank.log.items()), bank.in_flight)
print(sum(a.balance for a in bank.accounts), max(a.ops for a in bank.accounts))
records = [{"qty": str(i % 13 - 2)} if i % 5 else ({"q": 1} if i % 2 else "x") for i in range(n // 3)]
print("bad records:", validate(records))

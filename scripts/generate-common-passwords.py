#!/usr/bin/env python3
"""Writes src/Guichet/Identity/SignIn/common-passwords.txt: passwords of 12+ characters that
people pick most often (dictionary words, names, seasons, keyboard walks and digit runs, with
the years, digits and symbols people append). Stored lower-case; the validator compares
case-insensitively. Re-run after editing the lists below."""
import itertools, os

WORDS = """password passw0rd p@ssword p@ssw0rd pa55word qwerty qwertyuiop letmein welcome iloveyou
admin administrator guichet football baseball basketball soccer hockey monkey dragon sunshine
princess master shadow superman batman spiderman trustno1 starwars whatever changeme secret
summer winter spring autumn january february march april june july august september october
november december monday friday sunday login abc123 123qwe qazwsx zaq12wsx 1q2w3e4r asdfgh
zxcvbn hello freedom michael jennifer jessica charlie computer internet master123 access
flower cookie chocolate pokemon minecraft liverpool chelsea arsenal barcelona madrid
beijing shanghai china paris london berlin service counter bank hospital office company
default system support manager security guest user test testing temp temporary
""".split()
SUFFIXES = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "!", "1!", "12!",
            "123!", "1234!", "@123", "#1", "01", "007", "2000", "1111", "0000", "999", "321",
            "@2024", "@2025", "@2026", "!!", "?", ".", "*"]
SUFFIXES += [str(y) for y in range(1950, 2031)] + [str(y) + "!" for y in range(1990, 2031)]
PREFIXES = ["", "my"]
WALKS = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv",
         "qazwsxedcrfv", "zaq1xsw2cde3", "1q2w3e4r5t6y", "q1w2e3r4t5y6", "qwertyuiopasdfgh",
         "qwerty123456", "123456qwerty", "asdfghjkl123", "qwertyuiop12", "1234qwerasdf",
         "abcdefghijkl", "abcdefghijklmnop", "abcd1234abcd", "aaaaaaaaaaaa", "a1b2c3d4e5f6"]

def variants(word):
    yield word
    yield word.capitalize()

out = set()
for prefix, word, suffix in itertools.product(PREFIXES, WORDS, SUFFIXES):
    out.add((prefix + word + suffix).lower())
for word in WORDS:
    out.add((word * 2).lower()); out.add((word * 3).lower())
out.update(WALKS)
for n in range(12, 21):
    out.add("".join(str(i % 10) for i in range(1, n + 1)))
    out.add("".join(str(i % 10) for i in range(0, n)))
    out.add("".join(str((10 - i) % 10) for i in range(1, n + 1)))
    for c in "0123456789abcdefghijklmnopqrstuvwxyz!":
        out.add(c * n)
out = sorted(p for p in out if len(p) >= 12)
path = os.path.join(os.path.dirname(__file__), "..", "src", "Guichet", "Identity", "SignIn", "common-passwords.txt")
with open(path, "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
print(len(out), "passwords written")

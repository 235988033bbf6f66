# text_stats: word statistics over generated text: split, strip, lower, punctuation removal,
# counting in dicts, sorting by key, and a formatted report.
import sys

WORDS = ("the quick brown fox jumps over lazy dog while seven wizards quietly judge "
         "boxing matches in Paris and Oslo Lorem ipsum dolor sit amet consectetur adipiscing "
         "elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua").split()


def make_text(lines):
    out = []
    seed = 12345
    for i in range(lines):
        words = []
        for j in range(8 + i % 9):
            seed = (seed * 1103515245 + 12345) % 2147483648
            w = WORDS[seed % len(WORDS)]
            if seed % 7 == 0:
                w = w.upper()
            elif seed % 5 == 0:
                w = w.capitalize()
            if seed % 11 == 0:
                w += ","
            words.append(w)
        out.append("  " + " ".join(words) + ".  ")
    return "\n".join(out)


def stats(text):
    counts = {}
    lengths = {}
    first_letters = {}
    lines = text.split("\n")
    for line in lines:
        for raw in line.strip().split():
            w = raw.strip(".,;:").lower()
            if not w:
                continue
            counts[w] = counts.get(w, 0) + 1
            lengths[len(w)] = lengths.get(len(w), 0) + 1
            first_letters.setdefault(w[0], set()).add(w)
    return lines, counts, lengths, first_letters


n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
text = make_text(n)
lines, counts, lengths, first = stats(text)
total = sum(counts.values())
print(f"lines={len(lines)} words={total} distinct={len(counts)} chars={len(text)}")
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
for word, c in top[:12]:
    print(f"{word:<14}{c:>8}{c / total:>9.3%}")
for length in sorted(lengths):
    print(f"len {length:2d}: {'#' * (lengths[length] * 60 // total)}")
for letter in sorted(first):
    print(letter, ", ".join(sorted(first[letter], key=lambda w: (len(w), w))))
longest = max(lines, key=len).strip()
print(longest.title()[:70], len(longest))
caps = sum(1 for line in lines for w in line.split() if w.isupper())
print("upper-case words:", caps, "lines with commas:", sum(1 for line in lines if "," in line))
print("replaced:", text[:200].replace("the", "THE").replace("  ", " ").count("THE"))

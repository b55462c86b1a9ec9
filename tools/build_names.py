"""Rebuild cardscan/extract/data/person_names.txt.gz: given and family names of many countries.

    python -m tools.build_names

The names come from Faker's person providers (MIT licence; 80-odd locales: Europe, the
Americas, India, Africa, the Middle East, East and South-East Asia, with the romanised
Japanese names), a general source, never from any card. Latin-script names are kept
folded (lowercase, no accents: cardscan.words.fold), which is how the name finder
looks them up; names in other scripts (Han, Kana, Hangul, Devanagari...) are kept as
written, when the OCR reads their script (Cyrillic, Arabic or Thai names are left
out: PP-OCR's model here reads Latin, Chinese and Japanese, and Korean is read apart).
Only names of two or more letters are kept, and words that are far more often
something else on a card (see COMMON_WORDS) are left out, so "Park Avenue" or
"Sales" is no evidence of a person.

The output is deterministic (sorted), so rebuilding on the same Faker version gives the
same file byte for byte (gzip's timestamp is fixed at 0).
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import pkgutil
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from cardscan.extract.lexicon import ORG_WORDS, STOPWORDS, TITLE_WORDS
from cardscan.words import fold, wordset

OUT = Path(__file__).resolve().parent.parent / "cardscan/extract/data/person_names.txt.gz"

# Faker attribute names holding given or family names.
GIVEN_MARKS = ("first_name", "first_kana", "first_romanized")
FAMILY_MARKS = ("last_name", "last_kana", "last_romanized", "male_last", "unisex_last")

# Names that are, on a business card, much more often an ordinary word (street, title,
# company or place words, colours and trades): no evidence of a person either way.
COMMON_WORDS = wordset(
    """
    street road avenue park lane hill hall field wood woods land house city center centre
    king young green white black brown gray grey rose star bay port north south east west
    office tower plaza square bank may june april august march will mark grant page case
    love rich long short sharp strong best price cash cook baker smith taylor mason
    hunter fisher miller carter turner porter cooper walker parker marshall stewart
    chase ford lincoln ray sun moon tech data digital group global
    """
)


# Faker's Indian list holds mostly names given to children today; these are the
# commonest given and family names of the Indian working generations (general
# knowledge of the names of India, Nepal and Bangladesh, never from any card).
SOUTH_ASIAN_GIVEN = wordset(
    """
    rajesh suresh ramesh mahesh dinesh ganesh naresh mukesh rakesh umesh yogesh jignesh
    hitesh paresh kamlesh nilesh bhavesh jayesh ritesh anil sunil vijay sanjay ajay
    abhay uday vinay deepak manoj ashok nitin kiran ravi sachin sandeep pradeep kuldeep
    amit sumit rohit mohit lalit ankit arvind govind milind prakash subhash santosh
    manish ashish girish satish harish rajiv sanjiv rajendra mahendra surendra narendra
    jitendra virendra devendra yogendra upendra ramakrishna gopal venkatesh srinivas
    srinivasan narayan narayanan krishnan murali balaji raghu raghav sridhar shankar
    vishal vikas vikram vivek anand arun varun tarun karan pankaj neeraj dhiraj suraj
    manoj prem ram shyam mohan sohan rohan madhav keshav pramod vinod subodh ashwin
    nikhil sushil kapil jatin sunita anita kavita savita geeta seema reema neelam
    rekha usha asha lata meena veena sangeeta shweta sneha swati pooja neha priyanka
    deepa rupa manisha nisha varsha archana kalpana vandana shobha shilpa rashmi
    bhupendra dharmendra hemant vasant jayant nishant prashant sushant shailesh
    bahadur hari krishna gita laxmi lakshmi
    """
)
SOUTH_ASIAN_FAMILY = wordset(
    """
    mehta shah patel desai joshi trivedi pandya bhatt vyas parikh modi dave thakkar
    kulkarni deshpande patil pawar jadhav shinde gaikwad chavan more kale bhosale
    agarwal aggarwal goel goyal bansal mittal jindal singhal garg jain khandelwal
    maheshwari chopra kapoor khanna malhotra mehra arora bhatia sethi ahuja anand
    saxena srivastava shrivastava tiwari tripathi dubey dwivedi chaturvedi mishra
    pandey upadhyay shukla chauhan rathore rajput yadav thakur chaudhary choudhary
    iyer iyengar pillai menon nair krishnan subramanian venkataraman raman reddy naidu
    rao chowdary banerjee chatterjee mukherjee bhattacharya ganguly ghosh bose sen das
    dutta roy sarkar saha mondal biswas shrestha thapa gurung tamang rai magar karki
    adhikari poudel bhandari khan qureshi siddiqui ansari sheikh hussain rahman
    """
)


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, dict):
        yield from (k for k in value if isinstance(k, str))
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, str):
                yield item
            elif isinstance(item, (list, tuple)):  # ja_JP's (kanji, kana, romaji) pairs
                yield from (x for x in item if isinstance(x, str))


def _script(word: str) -> str | None:
    """ "latin", "cjk" (Han, Kana, Hangul) or None for the scripts the OCR cannot read."""
    names = {unicodedata.name(c, "").split()[0] for c in word if c.isalpha()}
    if names <= {"LATIN"}:
        return "latin"
    if names <= {"CJK", "HIRAGANA", "KATAKANA", "HANGUL"}:
        return "cjk"
    return None


def _keep(word: str) -> str | None:
    word = word.strip()
    if not word or " " in word or any(c.isdigit() for c in word):
        return None
    script = _script(word)
    if script != "latin":
        return word if script == "cjk" else None
    key = fold(word).replace("'", "").replace("’", "")
    if len(key) < 2 or not key.replace("-", "").isalpha():
        return None
    if key in COMMON_WORDS or key in STOPWORDS or key in TITLE_WORDS or key in ORG_WORDS:
        return None
    return key


def collect() -> tuple[set[str], set[str]]:
    import faker.providers.person as person

    given: set[str] = set()
    family: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attr, value in vars(provider).items():
            if attr.startswith("_") or (attr.endswith("_pairs") and "name" not in attr):
                continue
            target = (
                given
                if attr.startswith(GIVEN_MARKS)
                else family
                if attr.startswith(FAMILY_MARKS)
                else None
            )
            if target is None:
                continue
            for name in _strings(value):
                # "Mary-Jane" and "Kim Ngoc" are kept whole and by part.
                for part in {name, *name.replace("-", " ").split()}:
                    if (key := _keep(part)) is not None:
                        target.add(key)
    given |= {k for n in SOUTH_ASIAN_GIVEN if (k := _keep(n)) is not None}
    family |= {k for n in SOUTH_ASIAN_FAMILY if (k := _keep(n)) is not None}
    return given, family


def render(given: set[str], family: set[str]) -> bytes:
    lines = [f"g\t{n}" for n in sorted(given)] + [f"f\t{n}" for n in sorted(family)]
    text = "# given (g) and family (f) names; built by python -m tools.build_names\n"
    return gzip.compress((text + "\n".join(lines) + "\n").encode(), mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_names", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    given, family = collect()
    data = render(given, family)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"{args.out}: {len(given)} given and {len(family)} family names, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

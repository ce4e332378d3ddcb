"""The synthetic notices of scripts/bench_fill.py: a Norwegian-looking
vocabulary with Zipf-like frequencies, and notices made from it in chunks that
depend only on the seed and their number, so that processes can make them in
parallel, in any order, and the same seed and day give the same notices.
Not part of the tests or of CI.
"""

import bisect
import collections
import datetime as dt
import itertools
import json
import multiprocessing
import random

# Words that must be findable, at a Zipf rank that fixes how often they occur.
# At rank r a word is about 1/(r * 10.7) of all words; a notice has some 60-80
# words, so rank 1 000 ("demens") lands in about 0.6 % of notices, rank 6 000
# in about 0.1 %.
RANKED_WORDS = {
    # Function words first, as in real Norwegian text (and PostgreSQL's stop words).
    "og": 1, "i": 2, "til": 3, "for": 4, "som": 5, "på": 6, "av": 7, "med": 8,
    "er": 9, "det": 10, "en": 11, "et": 12, "å": 13, "om": 14, "kan": 15, "har": 16,
    "de": 17, "skal": 18, "fra": 19, "eller": 20, "ved": 21, "nå": 22, "blir": 23,
    "kommune": 30, "kommunene": 35, "tilskudd": 40, "helsetjenesten": 45, "søknad": 50,
    "webinar": 60, "tjenester": 70, "pasienter": 80, "helsedirektoratet": 90,
    "søknadsfrist": 110, "kompetanse": 130, "omsorg": 150, "folkehelse": 200,
    "barnevern": 300, "fastlege": 400, "helsestasjon": 500, "rus": 550, "psykisk": 600,
    "legevakt": 700, "smittevern": 800, "demens": 1000, "jordmor": 1500,
    "tannhelse": 2000, "rehabilitering": 2500, "velferdsteknologi": 3000,
    "hospitering": 6000, "ernæring": 8000,
}
# Webinars still ahead when the benchmark runs: as many at every size, since
# how many events lie ahead is a matter of the present, not of how long the
# archive is. They are the last notices made, published over the last 15
# days; every other webinar has taken place by yesterday.
UPCOMING_WEBINARS = 30
VOCABULARY_SIZE = 24_000
ZIPF_S = 1.0
TABLE_SLOTS = 1 << 21

ONSETS = ["", "b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
          "bl", "br", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "pl", "pr", "sk", "sl",
          "sm", "sn", "sp", "st", "str", "sv", "tr", "kj", "skj"]
VOWELS = ["a", "e", "i", "o", "u", "y", "æ", "ø", "å", "ei", "au", "øy"]
CODAS = ["", "", "", "n", "r", "s", "t", "l", "k", "g", "m", "nd", "ng", "kk", "tt",
         "st", "rt", "ll", "nn", "ss"]
SUFFIXES = ["", "", "", "", "else", "ing", "het", "skap", "lig", "ene", "er", "et",
            "en", "tjeneste", "arbeid", "plan", "ordning", "senter"]

APPLICANTS = [["kommuner"], ["kommuner", "fylkeskommuner"], ["frivillige organisasjoner"],
              ["helseforetak"], ["kommuner", "helseforetak", "private virksomheter"]]


def make_vocabulary(rng):
    """VOCABULARY_SIZE distinct words by rank, the ranked real words in their places."""
    taken = set(RANKED_WORDS)
    made = []
    while len(made) < VOCABULARY_SIZE:
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                       for _ in range(rng.choice((1, 2, 2, 3))))
        word += rng.choice(SUFFIXES)
        # None may begin with a real word searched for (SQLite matches each word
        # of a query as a prefix), and none is too short to read as a word.
        if len(word) < 3 or word in taken or any(word.startswith(w) for w in RANKED_WORDS if len(w) > 4):
            continue
        taken.add(word)
        made.append(word)
    by_rank = {rank: word for word, rank in RANKED_WORDS.items()}
    words, generated = [], iter(made)
    for rank in range(1, VOCABULARY_SIZE + len(RANKED_WORDS) + 1):
        words.append(by_rank.get(rank) or next(generated))
    # Drawing from a table in which each word fills slots in proportion to
    # its Zipf weight is a plain uniform pick, many times faster than a
    # weighted one; 2^21 slots still give the rarest word several.
    weights = [1.0 / rank ** ZIPF_S for rank in range(1, len(words) + 1)]
    scale = TABLE_SLOTS / sum(weights)
    table = []
    for word, weight in zip(words, weights):
        table.extend([word] * max(1, round(weight * scale)))
    return table


# As src/domain/slug.rs does for the letters a title here can hold.
SLUG_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "-"})


def slugify(title):
    slug = title.lower().translate(SLUG_LETTERS)
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug


def uuid7(instant, random_bits):
    """A version 7 UUID, as Tavla gives a new notice (Notice::new_id): the
    Unix milliseconds of its creation (a naive UTC instant), then 74 of
    `random_bits`."""
    millis = int(instant.replace(tzinfo=dt.timezone.utc).timestamp() * 1000)
    bits = (millis << 80) | (0x7 << 76) | ((random_bits >> 64) & 0xFFF) << 64 \
        | (0x2 << 62) | (random_bits & ((1 << 62) - 1))
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def fmt(instant):
    """An instant as diesel writes a whole-second Timestamp: UTC, no offset."""
    return instant.isoformat(" ")


def html_block(block):
    """One Markdown block of the generated bodies as pulldown-cmark renders it."""
    if block.startswith("## "):
        return f"<h2>{block[3:]}</h2>\n"
    if block.startswith("- "):
        items = "".join(f"<li>{line[2:]}</li>\n" for line in block.split("\n"))
        return f"<ul>\n{items}</ul>\n"
    return f"<p>{block}</p>\n"


COLUMNS = ["id", "slug", "kind", "state", "title", "summary", "body", "body_html", "source_url",
           "published_at", "revision", "deadline", "amount_nok", "applicants", "apply_url",
           "starts_at", "ends_at", "registration_url", "cancelled", "cancellation_note",
           "created_at", "updated_at", "change_seq", "pending_go_live", "lapsed"]
STATE, CHANGE_SEQ = COLUMNS.index("state"), COLUMNS.index("change_seq")
AREA_COLUMNS = ["notice_id", "area_slug", "kind", "state", "published_at"]
SEARCHED = ("fastlege", "demens", "hospitering")
CHUNK = 10_000


class Generator:
    """Deterministic notices: each chunk of CHUNK notices depends only on the
    seed and its number, so chunks can be made in parallel, in any order."""

    def __init__(self, seed, count, end, areas):
        self.seed = seed
        self.table = make_vocabulary(random.Random(seed))
        self.count = count
        self.end = end
        self.start = end - dt.timedelta(days=round(365.25 * 20))
        self.span = (end - self.start).total_seconds()
        # Not every area is as busy: the first linkable one most.
        self.areas = areas
        weights = [5, 3, 2, 1.5, 1][: len(areas)] + [1] * max(0, len(areas) - 5)
        self.areas_cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]

    def chunk(self, number):
        """Notices number * CHUNK onwards: their rows (change_seq 1 where the
        notice has been public, to be numbered in order by the caller), their
        area links, and how many contain each searched word."""
        self.rng = random.Random(f"{self.seed}-{number}")
        self.stream, self.position = [], 0
        rows, links, hits = [], [], dict.fromkeys(SEARCHED, 0)
        for i in range(number * CHUNK, min(self.count, (number + 1) * CHUNK)):
            row, areas = self.notice(i)
            rows.append(tuple(row[c] for c in COLUMNS))
            links.extend((row["id"], a, row["kind"], row["state"], row["published_at"]) for a in areas)
            text = f"{row['title']} {row['summary']} {row['body'] or ''}".lower()
            for word in SEARCHED:
                hits[word] += word in text
        return rows, links, hits

    def between(self, low, high):
        """As randint, at a fraction of its cost."""
        return low + int(self.rng.random() * (high - low + 1))

    def text(self, n):
        # Independent draws all the same, taken from a long run of them: one
        # call per 100 000 words instead of one per sentence.
        if self.position + n > len(self.stream):
            self.stream = self.rng.choices(self.table, k=100_000)
            self.position = 0
        self.position += n
        return self.stream[self.position - n : self.position]

    def sentence(self, n):
        words = self.text(n)
        if n > 8:
            words[self.between(3, n - 4)] += ","
        return " ".join(words).capitalize() + "."

    def paragraph(self):
        return " ".join(self.sentence(self.between(8, 16)) for _ in range(self.between(2, 4)))

    def notice(self, i):
        """The i-th notice: a dict of column values, and its area slugs."""
        rng, between = self.rng, self.between
        title = " ".join(self.text(between(6, 12))).capitalize()
        summary = " ".join(self.sentence(between(10, 20)) for _ in range(between(2, 3)))
        body = None
        if rng.random() < 0.3:
            parts = [self.paragraph() for _ in range(between(1, 2))]
            if rng.random() < 0.5:
                parts.insert(1, "## " + " ".join(self.text(3)).capitalize())
                parts.append("\n".join("- " + " ".join(self.text(between(3, 6))) for _ in range(3)))
            body = "\n\n".join(parts)
        # The HTML Tavla keeps beside the Markdown (as its writes render it), so
        # that its start finds nothing left to render.
        body_html = None if body is None else "".join(html_block(part) for part in body.split("\n\n"))
        # Evenly over the 20 years in insertion order, as an archive grows; a
        # few scheduled from tomorrow on, so still ahead while the benchmark
        # runs; the last UPCOMING_WEBINARS are webinars not yet held.
        scheduled = rng.random() < 0.005
        if scheduled:
            published = self.end + dt.timedelta(seconds=between(86400, 60 * 86400))
        else:
            published = self.start + dt.timedelta(seconds=int((i + rng.random()) / self.count * self.span))
        roll = rng.random()
        state = "draft" if roll < 0.01 else "withdrawn" if roll < 0.02 else "published"
        roll = rng.random()
        kind = "news" if roll < 0.40 else "grant" if roll < 0.75 else "webinar"
        ahead = self.count - i
        upcoming = ahead <= UPCOMING_WEBINARS
        if upcoming:
            scheduled, state, kind = False, "published", "webinar"
            published = self.end - dt.timedelta(hours=12 * ahead)
        row = {
            # From the instant it was written, below; the random bits are
            # drawn here, so that every later draw is as it always was.
            "id": rng.getrandbits(128),
            "slug": f"{slugify(title)}-{i + 1}",
            "kind": kind, "state": state, "title": title, "summary": summary, "body": body,
            "body_html": body_html,
            "source_url": None, "published_at": fmt(published), "revision": 1,
            "deadline": None, "amount_nok": None, "applicants": None, "apply_url": None,
            "starts_at": None, "ends_at": None, "registration_url": None,
            "cancelled": False, "cancellation_note": None,
        }
        if kind == "grant":
            if rng.random() < 0.9:  # else rolling: no deadline
                row["deadline"] = fmt(published + dt.timedelta(days=between(14, 120), hours=between(0, 23)))
            row["amount_nok"] = between(1, 400) * 50_000 if rng.random() < 0.8 else None
            row["applicants"] = json.dumps(rng.choice(APPLICANTS), ensure_ascii=False)
            row["apply_url"] = f"https://www.helsedirektoratet.no/tilskudd/{row['slug']}"
        elif kind == "webinar":
            day = (published + dt.timedelta(days=between(3, 60))).replace(hour=0, minute=0, second=0)
            yesterday = self.end - dt.timedelta(days=1)
            if upcoming:
                day = max(day, self.end + dt.timedelta(days=between(2, 10)))
            elif day >= yesterday and not scheduled:
                # Announced late, or a recording: it has taken place.
                day = yesterday - dt.timedelta(days=between(0, 2))
            starts = day + dt.timedelta(hours=between(7, 12), minutes=rng.choice((0, 30)))
            row["starts_at"] = fmt(starts)
            row["ends_at"] = fmt(starts + dt.timedelta(minutes=rng.choice((60, 90, 120))))
            row["registration_url"] = f"https://www.helsedirektoratet.no/webinar/{row['slug']}"
            if rng.random() < 0.02 and not upcoming:
                row["cancelled"] = True
                row["cancellation_note"] = "Avlyst. " + self.sentence(6)
        # As the outbox worker's sweep leaves it: marked lapsed once a grant's
        # deadline or a webinar's end has passed.
        lapses = row["deadline"] if kind == "grant" else row["ends_at"]
        row["lapsed"] = lapses is not None and lapses <= fmt(self.end)
        # Written when published; a withdrawal came a little later; a scheduled
        # notice was written before now.
        written = published
        if scheduled:
            written = self.end - dt.timedelta(days=between(0, 10))
        elif state == "withdrawn":
            written = min(published + dt.timedelta(days=between(1, 30)), self.end)
        row["created_at"] = row["updated_at"] = fmt(written)
        row["id"] = uuid7(written, row["id"])
        # As the write path: a public change gets a change_seq (a withdrawal is
        # one too, a tombstone); drafts and scheduled notices keep 0, and a
        # scheduled one waits to go live.
        row["change_seq"] = int(state == "withdrawn" or (state == "published" and not scheduled))
        row["pending_go_live"] = state == "published" and scheduled
        picked = {self.pick_area()}
        if rng.random() < 0.3:
            picked.add(self.pick_area())
        return row, sorted(picked)

    def pick_area(self):
        x = self.rng.random() * self.areas_cumulative[-1]
        return self.areas[bisect.bisect_right(self.areas_cumulative, x)]


class Sample:
    """What the benchmark needs to know of the data: ids and slugs to read and
    patch (a uniform pick of public notices), and how common the searched
    words are."""

    SIZE = 1000

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.public = []
        self.seen = 0
        self.hits = dict.fromkeys(SEARCHED, 0)

    def observe(self, row):
        if row[STATE] == "published" and row[CHANGE_SEQ]:
            self.seen += 1
            item = {"id": row[0], "slug": row[1], "kind": row[2]}
            if len(self.public) < self.SIZE:
                self.public.append(item)
            elif (j := self.rng.randrange(self.seen)) < self.SIZE:
                self.public[j] = item


_generator = None


def _start_worker(generator):
    global _generator
    _generator = generator


def _make_chunk(number):
    return _generator.chunk(number)


def in_order(pool, numbers, ahead):
    """The pool's chunks in order, at most `ahead` of them made and waiting,
    so that memory stays small when writing is the slower side."""
    numbers = iter(numbers)
    waiting = collections.deque(pool.apply_async(_make_chunk, (n,)) for n in itertools.islice(numbers, ahead))
    while waiting:
        made = waiting.popleft().get()
        for n in itertools.islice(numbers, 1):
            waiting.append(pool.apply_async(_make_chunk, (n,)))
        yield made


def chunks(args, areas, first_seq, sample):
    """Every chunk in order, its change sequences numbered from first_seq;
    made by --jobs processes while the caller writes the previous ones."""
    generator = Generator(args.seed, args.count, args.end, areas)
    numbers = range((args.count + CHUNK - 1) // CHUNK)
    seq = first_seq
    if args.jobs > 1:
        pool = multiprocessing.Pool(args.jobs, _start_worker, (generator,))
        made = in_order(pool, numbers, ahead=2 * args.jobs)
    else:
        pool, made = None, map(generator.chunk, numbers)
    try:
        for rows, links, hits in made:
            numbered = []
            for row in rows:
                if row[CHANGE_SEQ]:
                    row = row[:CHANGE_SEQ] + (seq,) + row[CHANGE_SEQ + 1:]
                    seq += 1
                sample.observe(row)
                numbered.append(row)
            for word, n in hits.items():
                sample.hits[word] += n
            yield numbered, links
    finally:
        if pool:
            pool.terminate()
    sample.last_seq = seq - 1

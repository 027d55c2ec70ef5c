/* Byte scans for text carving: pure functions over a caller's buffer, no policy. They run
 * over every free fragment and every reassembly window, where the cost of a loop that a
 * JIT has not compiled yet shows; what the results mean is decided by the caller. */
#include <errno.h>
#include <stdint.h>

#include "unit-map.h"

/* Set bit h of set[0, 512) for the 14-bit hash h of every byte 4-gram of b[0, len):
 * h = (big-endian u32 of the 4 bytes * 2654435761) mod 2^32 >> 18. Returns the 4-gram count. */
long long shim_text_gram_set(const uint8_t *b, long long len, uint32_t *set)
{
	if (!b || !set || len < 0)
		return -EINVAL;
	long long n = 0;
	for (long long i = 0; i + 4 <= len; i++, n++) {
		uint32_t x = (uint32_t)b[i] << 24 | (uint32_t)b[i + 1] << 16 | (uint32_t)b[i + 2] << 8 | b[i + 3];
		uint32_t h = (x * 2654435761u) >> 18;
		set[h >> 5] |= 1u << (h & 31);
	}
	return n;
}

/* C0 controls that text files do not contain: all but NUL, BEL, BS, TAB, LF, VT, FF, CR, ESC. */
static int not_text(uint8_t c)
{
	return c < 32 && c != 0 && !(c >= 7 && c <= 13) && c != 27;
}

static uint8_t control_before_nul(const uint8_t *p, long long unit, const void *ctx)
{
	(void)ctx;
	for (long long k = 0; k < unit; k++) {
		if (p[k] == 0)
			return 0;
		if (not_text(p[k]))
			return 1;
	}
	return 0;
}

/* For each whole `unit`-byte piece of b[0, len): flags[i] = 1 when such a control character
 * comes before the piece's first NUL (binary data), else 0. Returns the pieces examined. */
long long shim_text_control_map(const uint8_t *b, long long len, long long unit, uint8_t *flags)
{
	return unit_map(b, len, unit, flags, control_before_nul, 0);
}

/* How many of the n 14-bit hashes in grams[] have their bit set in set[0, 512). */
long long shim_text_gram_hits(const uint32_t *set, const uint16_t *grams, long long n)
{
	if (!set || (!grams && n > 0) || n < 0)
		return -EINVAL;
	long long hits = 0;
	for (long long i = 0; i < n; i++) {
		uint32_t h = grams[i] & 0x3fff;
		hits += (set[h >> 5] >> (h & 31)) & 1;
	}
	return hits;
}

/* Statistics of a reassembly window (src/carve/continuity.ts, windowOf), one pass over its
 * UTF-16 code units: 8-bit units when the text is ASCII (wide 0), else 16-bit. */
#define WORD_BITS 1024u
#define FINE_BITS 16384u
#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

enum window_slot {
	WIN_CLASSES = 0, /* 8 counts: letter, digit, space, C syntax, other ASCII, Latin-1 and
			  * Latin extended (< U+0370), Greek/Cyrillic (< U+0530), the rest (CJK...) */
	WIN_WORDS = 8, WIN_LINES, WIN_MAX_LINE, WIN_LINE_SUM, WIN_TAB_INDENT, WIN_SPACE_INDENT,
	WIN_CRLF, WIN_LF, WIN_FIRST_BREAK, WIN_LAST_BREAK, WIN_SLOTS
};

/* Per ASCII unit: class (low 3 bits), 8 when it belongs to a word (letter, digit, _). */
static uint8_t ascii_flags[128];

static void init_ascii_flags(void)
{
	static const char syntax[] = "{}();=*&[]<>#";
	for (int c = 0; c < 128; c++) {
		uint8_t f = 4;
		int letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		if (letter)
			f = 0;
		else if (c >= '0' && c <= '9')
			f = 1;
		else if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			f = 2;
		else
			for (const char *s = syntax; *s; s++)
				if (c == *s)
					f = 3;
		if (letter || (c >= '0' && c <= '9') || c == '_')
			f |= 8;
		ascii_flags[c] = f;
	}
	ascii_flags[0] |= 0x80; /* initialised */
}

static void add_word(uint32_t *words, uint32_t *fine, uint32_t h)
{
	uint32_t k = h % WORD_BITS, f = h % FINE_BITS;
	words[k >> 5] |= 1u << (k & 31);
	fine[f >> 5] |= 1u << (f & 31);
}

/* Fills out[0, WIN_SLOTS) (doubles: what JS reads without conversion) and ORs the hashed words (FNV-1a, ASCII folded to lower case; CJK
 * character pairs) into words[0, 32) and fine[0, 512). The word hash must stay the same as
 * hashWord() in continuity.ts, which looks words up in these sets. Returns WIN_SLOTS. */
long long shim_text_window_stats(const void *units, long long n, int wide, uint32_t *words, uint32_t *fine, double *out)
{
	if ((!units && n > 0) || n < 0 || !words || !fine || !out)
		return -EINVAL;
	if (!(ascii_flags[0] & 0x80))
		init_ascii_flags();
	const uint8_t *u8 = units;
	const uint16_t *u16 = units;
#define UNIT(i) (wide ? (uint32_t)u16[i] : (uint32_t)u8[i])
	int64_t counts[8] = { 0 };
	int64_t word_count = 0, lines = 0, max_line = 0, sum = 0, tab = 0, space = 0, crlf = 0, lf = 0;
	int64_t line_start = 0, first_break = -1, last_break = -1;
	uint32_t h = FNV_BASIS;
	int64_t word_length = 0;
	int64_t prev_cjk = -1;
	for (int64_t i = 0; i < n; i++) {
		uint32_t c = UNIT(i);
		int word;
		if (c < 0x80) {
			uint8_t f = ascii_flags[c] & 0x7f;
			counts[f & 7]++;
			word = f >= 8;
			prev_cjk = -1;
		} else {
			counts[c < 0x370 ? 5 : c < 0x530 ? 6 : 7]++;
			if (c >= 0x2e80) {
				if (prev_cjk >= 0) {
					add_word(words, fine, ((FNV_BASIS ^ (uint32_t)prev_cjk) * FNV_PRIME ^ c) * FNV_PRIME);
					word_count++;
				}
				prev_cjk = c;
				word = 0;
			} else {
				prev_cjk = -1;
				word = c >= 0xc0 && c != 0xd7 && c != 0xf7;
			}
		}
		if (word) {
			h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * FNV_PRIME;
			word_length++;
			continue;
		}
		if (word_length > 1) {
			add_word(words, fine, h);
			word_count++;
		}
		h = FNV_BASIS;
		word_length = 0;
		if (c == '\n') {
			lf++;
			if (first_break >= 0) {
				/* A complete line: line_start..i (the cut lines at either edge are not counted). */
				int64_t len = i - line_start;
				lines++;
				sum += len;
				if (len > max_line)
					max_line = len;
				uint32_t first = UNIT(line_start);
				if (first == '\t')
					tab++;
				else if (first == ' ' && UNIT(line_start + 1) == ' ')
					space++;
				if (len > 0 && UNIT(i - 1) == '\r')
					crlf++;
			} else
				first_break = i;
			last_break = i;
			line_start = i + 1;
		}
	}
#undef UNIT
	if (word_length > 1) {
		add_word(words, fine, h);
		word_count++;
	}
	for (int k = 0; k < 8; k++)
		out[WIN_CLASSES + k] = (double)counts[k];
	out[WIN_WORDS] = (double)word_count;
	out[WIN_LINES] = (double)lines;
	out[WIN_MAX_LINE] = (double)max_line;
	out[WIN_LINE_SUM] = (double)sum;
	out[WIN_TAB_INDENT] = (double)tab;
	out[WIN_SPACE_INDENT] = (double)space;
	out[WIN_CRLF] = (double)crlf;
	out[WIN_LF] = (double)lf;
	out[WIN_FIRST_BREAK] = (double)first_break;
	out[WIN_LAST_BREAK] = (double)last_break;
	return WIN_SLOTS;
}

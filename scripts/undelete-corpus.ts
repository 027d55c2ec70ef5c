// Synthetic but realistic deleted files for the undelete generator (scripts/make-undelete-image.ts):
// prose in several scripts (Latin with accents, Cyrillic, Greek, CJK), C source, Markdown,
// CRLF notes, shell/INI configs, a few Latin-1 legacy files; and the junk that lies next to
// them in free space (random binary, runs of one repeated byte). Every file is reproducible
// from (count, seed): the tests regenerate the texts and check them against the recorded SHA-256.
// The words are made up from syllables here: no text from other projects.
import { createHash } from "node:crypto";
import { rng } from "./make-ffs-fixture.ts";

export type Kind = "prose-en" | "prose-de" | "prose-fr" | "prose-ru" | "prose-el" | "prose-ja" | "prose-zh" | "c" | "markdown" | "crlf" | "config" | "latin1" | "binary" | "uniform";
export type Encoding = "ascii" | "utf8" | "latin1" | "binary";

export interface CorpusFile {
  name: string;
  kind: Kind;
  encoding: Encoding;
  bytes: Uint8Array;
  /** A deleted text file the scorer counts (junk and legacy files are not in the default score). */
  scored: boolean;
}

type Rand = (n: number) => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[r(xs.length)]!;

const SYLLABLES: Record<string, string[]> = {
  en: ["ca", "ter", "in", "on", "re", "ble", "ment", "stor", "ing", "ex", "pro", "al", "der", "fi", "low", "ma", "tion", "sub", "vel", "ord", "est", "un", "ly", "go", "sha", "ward", "ten"],
  de: ["ge", "sch", "ung", "ber", "ein", "lich", "keit", "ä", "ö", "ü", "ß", "stra", "wer", "hal", "den", "ver", "tig", "zu", "ro", "mä", "für", "kon", "lau"],
  fr: ["é", "tion", "è", "ment", "con", "pré", "ça", "leur", "ai", "ou", "ô", "gé", "dé", "ri", "que", "vé", "ble", "mi", "tè", "ra", "on", "ê"],
  ru: ["ка", "про", "ст", "ни", "ва", "ель", "ост", "ра", "до", "ми", "ский", "же", "ть", "ла", "пер", "во", "ше", "ры", "ющ", "зна"],
  el: ["κα", "τη", "πο", "λι", "σμ", "ος", "ει", "ρα", "νο", "μέ", "ση", "τα", "ού", "γι", "ερ", "ης", "λό", "ώ", "δε"],
};
const CJK_JA = "日本語文章時間場所手紙写真旅行電車駅学校先生友達天気季節春夏秋冬山川海空花鳥風月";
const KANA = "のはがをにでとするいたてしかれもなよりうからこまあそ";
const CJK_ZH = "我们的这是一个中国人在有了不和大上个们来到时地说要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完";
const CYR_WORDS = ["и", "в", "не", "на", "что", "он", "как", "это", "по", "но", "из", "за", "то", "все", "так", "был"];

function word(r: Rand, syl: string[]): string {
  let w = "";
  for (let i = 0, n = 1 + r(3); i < n; i++) w += pick(r, syl);
  return w;
}

/** A file's own vocabulary: a few hundred words from its language's syllables plus topic words. */
function vocabulary(r: Rand, lang: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < size; i++) out.push(word(r, SYLLABLES[lang]!));
  if (lang === "ru") out.push(...CYR_WORDS, ...CYR_WORDS);
  if (lang === "en") out.push("the", "the", "of", "and", "a", "to", "is", "in", "that", "it", "for", "was", "with");
  return out;
}

function sentence(r: Rand, vocab: string[]): string {
  const n = 4 + r(14);
  const ws: string[] = [];
  for (let i = 0; i < n; i++) ws.push(pick(r, vocab));
  ws[0] = ws[0]!.charAt(0).toUpperCase() + ws[0]!.slice(1);
  if (n > 8 && r(3) === 0) ws[r(n - 2) + 1] += ",";
  return ws.join(" ") + pick(r, [".", ".", ".", "?", "!", ";"]);
}

/** Words wrapped at `width` columns (0: one line per paragraph). */
function wrap(text: string, width: number): string {
  if (width === 0) return text;
  const lines: string[] = [];
  let line = "";
  for (const w of text.split(" ")) {
    if (line && [...line].length + 1 + [...w].length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

function prose(r: Rand, lang: string, size: number): string {
  const vocab = vocabulary(r, lang, 60 + r(300));
  const width = pick(r, [0, 60, 64, 70, 72, 76, 78, 80]);
  const indent = r(4) === 0 ? "    " : "";
  let s = r(2) ? wrap(sentence(r, vocab).toUpperCase(), 0) + "\n\n" : "";
  while (utf8Length(s) < size) {
    let para = "";
    for (let i = 0, n = 2 + r(7); i < n; i++) para += (para ? " " : "") + sentence(r, vocab);
    s += indent + wrap(para, width) + "\n\n";
  }
  return s;
}

function cjk(r: Rand, chars: string, size: number, kana: boolean): string {
  const all = [...chars];
  const own = all.filter(() => r(3) === 0);
  if (own.length === 0) own.push(...all);
  const kanaChars = [...KANA];
  const width = pick(r, [0, 30, 35, 40]);
  let s = "";
  while (utf8Length(s) < size) {
    let para = "";
    for (let i = 0, n = 3 + r(10); i < n; i++) {
      for (let k = 0, m = 5 + r(25); k < m; k++) para += kana && r(3) === 0 ? pick(r, kanaChars) : pick(r, own);
      para += kana ? "。" : pick(r, ["。", "，", "；"]);
    }
    s += (width ? [...para].reduce((acc, c, i) => acc + (i && i % width === 0 ? "\n" : "") + c, "") : para) + "\n\n";
  }
  return s;
}

function cSource(r: Rand, name: string, size: number): string {
  const idents = vocabulary(r, "en", 40 + r(60)).map((w) => w.replace(/[^a-z]/g, "") || "x");
  const tab = pick(r, ["\t", "    ", "  ", "\t"]);
  const id = () => pick(r, idents) + (r(2) ? "_" + pick(r, idents) : "");
  let s = `/*\n * ${name}: ${sentence(r, idents)}\n */\n\n#include <stdio.h>\n#include <stdlib.h>\n#include "${pick(r, idents)}.h"\n\n`;
  while (s.length < size) {
    const fn = id();
    s += `/* ${sentence(r, idents)} */\nstatic int\n${fn}(struct ${pick(r, idents)} *${pick(r, idents)}, int ${pick(r, idents)})\n{\n`;
    s += `${tab}int ${id()} = ${r(100)};\n`;
    for (let i = 0, n = 2 + r(8); i < n; i++) {
      const kind = r(5);
      if (kind === 0) s += `${tab}if (${id()} ${pick(r, ["<", ">", "==", "!="])} ${r(1000)}) {\n${tab}${tab}${id()}(${id()}, ${r(64)});\n${tab}${tab}return (-1);\n${tab}}\n`;
      else if (kind === 1) s += `${tab}for (${id()} = 0; ${id()} < ${r(512)}; ${id()}++)\n${tab}${tab}${id()}[${id()}] = ${id()};\n`;
      else if (kind === 2) s += `${tab}/* ${sentence(r, idents)} */\n`;
      else if (kind === 3) s += `${tab}printf("${sentence(r, idents)}\\n", ${id()});\n`;
      else s += `${tab}${id()} = ${id()}(${id()}) + ${r(10)};\n`;
    }
    s += `${tab}return (${id()});\n}\n\n`;
  }
  return s;
}

function markdown(r: Rand, size: number): string {
  const vocab = vocabulary(r, pick(r, ["en", "de", "fr"]), 80 + r(200));
  let s = `# ${sentence(r, vocab)}\n\n`;
  while (utf8Length(s) < size) {
    const k = r(4);
    if (k === 0) s += `## ${sentence(r, vocab).replace(/[.?!;]$/, "")}\n\n`;
    else if (k === 1) for (let i = 0, n = 2 + r(5); i < n; i++) s += `- ${sentence(r, vocab)}\n`;
    else if (k === 2) s += "```\n" + `${pick(r, vocab)} --${pick(r, vocab)} ${r(100)}\n` + "```\n";
    else s += wrap(sentence(r, vocab) + " " + sentence(r, vocab), 80) + "\n";
    s += "\n";
  }
  return s;
}

function config(r: Rand, size: number): string {
  const vocab = vocabulary(r, "en", 50).map((w) => w.replace(/[^a-z]/g, "") || "key");
  let s = r(2) ? "#!/bin/sh\n# generated\nset -e\n\n" : `; ${pick(r, vocab)} settings\n`;
  while (s.length < size) {
    if (r(6) === 0) s += `\n[${pick(r, vocab)}]\n`;
    s += `${pick(r, vocab)}_${pick(r, vocab)}=${r(2) ? r(100000) : `"${pick(r, vocab)}/${pick(r, vocab)}"`}\n`;
  }
  return s;
}

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** Cut at `size` bytes on a character boundary (so the file stays valid UTF-8), keeping the final newline style. */
function cut(text: string, size: number, crlf = false): Uint8Array {
  const b = Buffer.from(crlf ? text.replace(/\n/g, "\r\n") : text, "utf8");
  let end = Math.min(size, b.length);
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return new Uint8Array(b.subarray(0, end));
}

/** Mostly small files (fragments in a partly used block), some of several blocks, a few large
 *  enough for an indirect block (more than 12 blocks of 8 KiB). */
function textSize(r: Rand): number {
  const k = r(100);
  if (k < 45) return 100 + r(7000);
  if (k < 88) return 7000 + r(40_000);
  if (k < 97) return 47_000 + r(50_000);
  return 100_000 + r(200_000);
}

/** `scale` shrinks every text (small test fixtures); 1 gives the sizes above. */
export function makeCorpus(count: number, seed: number, junkRatio = 0.35, scale = 1): CorpusFile[] {
  const r = rng(seed);
  const files: CorpusFile[] = [];
  const kinds: Kind[] = ["prose-en", "prose-en", "prose-de", "prose-fr", "prose-ru", "prose-el", "prose-ja", "prose-zh", "c", "c", "c", "markdown", "crlf", "config"];
  let junk = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.max(1, Math.round(textSize(r) * scale));
    const kind = r(60) === 0 ? "latin1" : pick(r, kinds);
    const name = `${kind === "c" ? "src" : "doc"}-${String(i).padStart(4, "0")}.${kind === "c" ? "c" : kind === "markdown" ? "md" : kind === "config" ? "conf" : "txt"}`;
    let bytes: Uint8Array;
    let encoding: Encoding = "utf8";
    if (kind === "c") bytes = cut(cSource(r, name, size + 200), size);
    else if (kind === "markdown") bytes = cut(markdown(r, size + 200), size);
    else if (kind === "config") bytes = cut(config(r, size + 200), size);
    else if (kind === "crlf") bytes = cut(prose(r, "en", size + 200), size, true);
    else if (kind === "prose-ja") bytes = cut(cjk(r, CJK_JA, size + 200, true), size);
    else if (kind === "prose-zh") bytes = cut(cjk(r, CJK_ZH, size + 200, false), size);
    else if (kind === "latin1") {
      bytes = new Uint8Array(Buffer.from(prose(r, pick(r, ["de", "fr"]), size + 200), "latin1").subarray(0, size));
      encoding = "latin1";
    } else bytes = cut(prose(r, kind.slice(6), size + 200), size);
    if (encoding === "utf8" && bytes.every((b) => b < 0x80)) encoding = "ascii";
    files.push({ name, kind, encoding, bytes, scored: encoding !== "latin1" && bytes.length > 0 });
    // Neighbours in free space: junk files deleted with the texts.
    while (junk < (i + 1) * junkRatio) {
      junk++;
      const jsize = 512 + r(30_000);
      if (r(3) === 0) {
        const b = new Uint8Array(jsize).fill(pick(r, [0x20, 0x41, 0x2e, 0x0a, 0xff, 0x2d, 0x3d]));
        files.push({ name: `fill-${String(junk).padStart(4, "0")}.dat`, kind: "uniform", encoding: "binary", bytes: b, scored: false });
      } else {
        const b = new Uint8Array(jsize);
        for (let k = 0; k < jsize; k++) b[k] = r(256);
        files.push({ name: `blob-${String(junk).padStart(4, "0")}.bin`, kind: "binary", encoding: "binary", bytes: b, scored: false });
      }
    }
  }
  return files;
}

export const sha256hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

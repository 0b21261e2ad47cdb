import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { isUtf8 } from 'node:buffer';
import * as iconv from 'iconv-lite';

/**
 * The encodings a text body (the member CSV) may come in: UTF-8, and CP949, which is what Excel in
 * Korean writes when it saves "CSV". CP949 (windows-949, "UHC") is EUC-KR plus 8,822 syllables
 * (똠, 햏, 쀍, …); Windows and browsers label it `euc-kr` or `ks_c_5601-1987` all the same, so every
 * one of those labels is read as CP949, as WHATWG's Encoding Standard reads them.
 *
 * Decoded with iconv-lite, not TextDecoder: Node's TextDecoder('euc-kr') is ICU's plain EUC-KR,
 * not WHATWG's windows-949. Even with `fatal: true` it throws on 햏 (C1 64) and, worse, silently
 * drops the lead byte of 똠 (8C 63) and decodes it as "c".
 */
export type TextCharset = 'utf-8' | 'cp949';

/** The labels of the WHATWG Encoding Standard for UTF-8 and EUC-KR, and the Microsoft and Java names of CP949. */
const CHARSET_LABELS: Record<string, TextCharset> = Object.fromEntries([
  ...['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8'].map((label): [string, TextCharset] => [label, 'utf-8']),
  ...[
    'cp949',
    'ms949',
    'windows-949',
    'x-windows-949',
    'uhc',
    'euc-kr',
    'cseuckr',
    'csksc56011987',
    'iso-ir-149',
    'korean',
    'ks_c_5601-1987',
    'ks_c_5601-1989',
    'ksc5601',
    'ksc_5601',
  ].map((label): [string, TextCharset] => [label, 'cp949']),
]);

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** How to read a body: the charset, and whether the client said so (rather than it being detected). */
export interface TextEncoding {
  charset: TextCharset;
  declared: boolean;
}

/** The `charset` parameter of a Content-Type, lower-cased and unquoted, or undefined. */
export function charsetParameter(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("([^"]*)"|[^;\s]*)/i.exec(contentType ?? '');
  if (!match) return undefined;
  return (match[2] ?? match[1]).trim().toLowerCase() || undefined;
}

/**
 * Chooses how to read a text body: a UTF-8 byte order mark first (it outranks the label, as in
 * WHATWG's decode), then the Content-Type's charset, else the bytes themselves: valid UTF-8 is
 * UTF-8, anything else is taken for CP949 and proven so (or not) while it is decoded.
 * A charset this app does not read is a 415 that names it; a body that is not the UTF-8 it says
 * it is, a 400. Cheap for any size: isUtf8 is one native pass, nothing is copied.
 */
export function chooseTextEncoding(body: Buffer, contentType: string | undefined): TextEncoding {
  if (hasUtf8Bom(body)) return checkedUtf8(body, true);
  const label = charsetParameter(contentType);
  if (label !== undefined) {
    const charset = CHARSET_LABELS[label];
    if (!charset) throw new UnsupportedMediaTypeException([`body charset ${label} is not supported: send UTF-8 or CP949 (EUC-KR)`]);
    return charset === 'utf-8' ? checkedUtf8(body, true) : { charset, declared: true };
  }
  return isUtf8(body) ? { charset: 'utf-8', declared: false } : { charset: 'cp949', declared: false };
}

function checkedUtf8(body: Buffer, declared: boolean): TextEncoding {
  if (!isUtf8(body)) throw new BadRequestException([`body is not UTF-8 text, as its ${hasUtf8Bom(body) ? 'byte order mark' : 'charset'} says`]);
  return { charset: 'utf-8', declared };
}

function hasUtf8Bom(body: Buffer): boolean {
  return body.length >= 3 && body[0] === UTF8_BOM[0] && body[1] === UTF8_BOM[1] && body[2] === UTF8_BOM[2];
}

/**
 * The body's text, a piece of about `chunkBytes` at a time, so no single step decodes (or holds a
 * second copy of) a file of megabytes. The UTF-8 BOM is left out. CP949 that turns out not to be
 * CP949 throws a 400 naming the first line with such bytes: iconv-lite puts U+FFFD for every byte
 * sequence it cannot map, and no CP949 character maps to U+FFFD, so one in the output is proof.
 */
export function* decodeTextChunks(body: Buffer, encoding: TextEncoding, chunkBytes = 64 * 1024): Generator<string> {
  // Stateful decoders: a character cut in two by a chunk's end is completed by the next chunk.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const decoder: { write(bytes: Buffer): string; end(): string | undefined } =
    encoding.charset === 'utf-8' ? { write: (bytes) => utf8.decode(bytes, { stream: true }), end: () => utf8.decode() } : iconv.getDecoder('cp949');
  let lines = 1;
  const checked = (text: string): string => {
    if (encoding.charset === 'cp949') {
      const bad = text.indexOf('\ufffd');
      if (bad !== -1) {
        const line = lines + countNewlines(text, bad);
        throw new BadRequestException([
          encoding.declared
            ? `body is not CP949 (EUC-KR) text, as its charset says: line ${line} has bytes that are no character in it`
            : `body is neither UTF-8 nor CP949 (EUC-KR) text: line ${line} has bytes that are no character in either`,
        ]);
      }
      lines += countNewlines(text, text.length);
    }
    return text;
  };
  for (let start = 0; start < body.length; start += chunkBytes) {
    const text = checked(decoder.write(body.subarray(start, start + chunkBytes)));
    if (text !== '') yield text;
  }
  const rest = checked(decoder.end() ?? '');
  if (rest !== '') yield rest;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCamtStatement } from '../../../adapters/bank/camt.js';
import { readXmlElements, type XmlElement } from '../../../adapters/common/xml.js';
import { readOfacXml } from '../../../adapters/tags/ofacXml.js';
import { AddressCache } from '../../../src/model/address.js';
import type { HoptraceError } from '../../../src/model/errors.js';
import { fixture, tempDir } from '../../support/cli.js';

/**
 * The one XML reader (saxes underneath) and its two users. Each malformed case below was read
 * without complaint, or crashed with a RangeError, by the hand-written camt reader or the regex
 * SDN reader; now each is a HoptraceError naming the file and the line.
 */
async function elements(xml: string, select = (path: readonly { name: string }[]) => path.length === 2): Promise<XmlElement[]> {
  const found: XmlElement[] = [];
  for await (const element of readXmlElements([xml], 'test.xml', select)) found.push(element);
  return found;
}

async function failure(xml: string): Promise<{ name: string; message: string; file: string | undefined; line: number | undefined }> {
  try {
    await elements(xml);
  } catch (error) {
    const { name, message, file, line } = error as HoptraceError;
    return { name, message, file, line };
  }
  throw new Error('no error');
}

describe('readXmlElements', () => {
  it('hands over the selected elements with local names, attributes, decoded text and their lines', async () => {
    const xml =
      '<?xml version="1.0"?>\n<c:Doc xmlns:c="urn:x">\n  <c:Ntry c:a="1" b=\'x &amp; y\'>A &lt; <![CDATA[<b>]]>&#x41;<c:Sub/>\n</c:Ntry>\n  <!-- c --><Other xmlns="urn:y"\n    z="2"/>\n</c:Doc>\n';
    expect(await elements(xml)).toEqual([
      {
        name: 'Ntry',
        attributes: { a: '1', b: 'x & y' },
        text: 'A < <b>A\n',
        line: 3,
        children: [{ name: 'Sub', attributes: {}, children: [], text: '', line: 3 }],
      },
      { name: 'Other', attributes: { xmlns: 'urn:y', z: '2' }, children: [], text: '', line: 5 },
    ]);
  });

  it.each([
    ['an unquoted attribute in a self-closing tag', '<a>\n<b x=1/>\n</a>', 'XML: unquoted attribute value', 2],
    ['a duplicate attribute', '<a>\n\n<b x="1" x="2"/></a>', 'XML: duplicate attribute: x', 3],
    ['an end tag that closes nothing open', '<a>\n<b>\n</c>\n</a>', 'XML: unexpected close tag: <b> (line 2) is still open', 3],
    ['an unclosed tag at the end', '<a>\n<b>\n</a>\n', 'XML: unexpected close tag: <b> (line 2) is still open', 3],
    ['a truncated file', '<a>\n<b>text', 'XML: the document ends inside <b> (file truncated?)', 2],
    ['a character reference beyond Unicode', '<a>\n<b>&#x110000;</b></a>', 'XML: malformed character entity', 2],
    ['a NUL character reference', '<a>\n\n<b>&#0;</b></a>', 'XML: malformed character entity', 3],
    ['an undefined entity', '<a>\n<b>&nbsp;</b></a>', 'XML: undefined entity', 2],
    ['a bare ampersand followed by more text', '<a>\n<b>A & B</b>\n<c>d;</c>\n</a>', 'XML: unescaped "&" (write &amp;)', 2],
    ['a bare ampersand and no semicolon after it', '<a>\n<b>A & B</b>\n</a>', 'XML: unescaped "&" (write &amp;)', 2],
    ['a DOCTYPE', '<?xml version="1.0"?>\n<!DOCTYPE a [\n<!ENTITY e "x">\n]>\n<a/>', 'XML: DOCTYPE and entity declarations are not accepted', 2],
    ['an undeclared namespace prefix', '<a>\n<x:b/></a>', 'XML: unbound namespace prefix: "x"', 2],
    ['a second root element', '<a/>\n<b/>', 'XML: documents may contain only one root', 2],
    ['an empty file', '', 'XML: document must contain a root element', 1],
  ])('%s is an error with its line', async (_what, xml, message, line) => {
    expect(await failure(xml)).toEqual({ name: 'HoptraceError', message, file: 'test.xml', line });
  });
});

describe('the camt and SDN readers refuse ill-formed XML instead of reading it differently', () => {
  const minimal = readFileSync(fixture('camt-genkgo', 'camt053.v2.minimal.xml'), 'utf8');
  const sdn = readFileSync(fixture('ofac-sdn-digital-currency', 'sdn_advanced_subset', 'sdn_advanced.digital_currency_subset.xml'), 'utf8');

  async function readCamt(path: string): Promise<number> {
    let items = 0;
    for await (const _item of readCamtStatement({ path })) items++;
    return items;
  }
  async function readSdn(path: string): Promise<number> {
    let items = 0;
    for await (const _item of readOfacXml({ path, addresses: new AddressCache() })) items++;
    return items;
  }

  it.each([
    // The old reader dropped the unquoted attribute: the amount lost its currency silently.
    ['camt: <Amt Ccy=EUR>', () => minimal.replace('<Amt Ccy="EUR">8.85</Amt>', '<Amt Ccy=EUR>8.85</Amt>'), 'XML: unquoted attribute value', 90 + 1],
    // The old reader took the last of two currencies.
    [
      'camt: two Ccy attributes',
      () => minimal.replace('<Amt Ccy="EUR">8.85</Amt>', '<Amt Ccy="USD" Ccy="EUR">8.85</Amt>'),
      'XML: duplicate attribute: Ccy',
      91,
    ],
    // The old reader threw a RangeError (a crash, not a user error).
    ['camt: &#x110000;', () => minimal.replace('<AddtlInf>Group header', '<AddtlInf>&#x110000; Group header'), 'XML: malformed character entity', 24],
    ['camt: an unclosed <Ntry>', () => minimal.replace('</Ntry>', ''), 'XML: unexpected close tag: <Ntry> (line 90) is still open', 171],
  ])('%s', async (_what, edit, message, line) => {
    const path = join(tempDir(), 'camt.xml');
    writeFileSync(path, edit());
    await expect(readCamt(path)).rejects.toMatchObject({ name: 'HoptraceError', message, file: path, line });
  });

  it.each([
    // The regex reader read all three of these as if nothing were wrong.
    ['SDN: an unquoted attribute', () => sdn.replace('<DistinctParty FixedRef', '<DistinctParty x=1 FixedRef'), 'XML: unquoted attribute value', 1099],
    ['SDN: a duplicate attribute', () => sdn.replace(/<Feature ID="(\d+)"/, '<Feature ID="$1" ID="$1"'), 'XML: duplicate attribute: ID', 1136],
    ['SDN: a DOCTYPE', () => sdn.replace('<Sanctions', '<!DOCTYPE Sanctions>\n<Sanctions'), 'XML: DOCTYPE and entity declarations are not accepted', 2],
    // The regex reader's entity decoder threw a RangeError.
    ['SDN: &#x110000; in a name', () => sdn.replace('>CHEIL CREDIT BANK<', '>&#x110000;CHEIL CREDIT BANK<'), 'XML: malformed character entity', 1106],
    ['SDN: truncated', () => sdn.slice(0, sdn.length / 2), 'XML: the document ends inside <FeatureVersion> (file truncated?)', 8516],
  ])('%s', async (_what, edit, message, line) => {
    const path = join(tempDir(), 'sdn.xml');
    writeFileSync(path, edit());
    await expect(readSdn(path)).rejects.toMatchObject({ name: 'HoptraceError', message, file: path, line });
  });

  it('well-formed variants read the same: namespace prefixes, CRLF line ends, a byte-order mark', async () => {
    const dir = tempDir();
    const prefixed = minimal.replace(/<(\/?)(?=[A-Za-z])/g, '<$1camt:').replace(' xmlns="urn', ' xmlns:camt="urn');
    const variants = { 'plain.xml': minimal, 'prefixed.xml': prefixed, 'crlf.xml': minimal.replace(/\n/g, '\r\n'), 'bom.xml': `\uFEFF${minimal}` };
    const read = async (name: string): Promise<unknown[]> => {
      writeFileSync(join(dir, name), variants[name as keyof typeof variants]);
      const items: unknown[] = [];
      for await (const item of readCamtStatement({ path: join(dir, name) })) items.push(item);
      return items;
    };
    const plain = await read('plain.xml');
    expect(plain.map((item) => (item as { kind: string }).kind)).toEqual(['balance', 'row', 'balance']);
    for (const name of ['prefixed.xml', 'crlf.xml', 'bom.xml']) expect(await read(name)).toEqual(plain);
    expect(await readSdn(fixture('ofac-sdn-digital-currency', 'sdn_advanced_subset', 'sdn_advanced.digital_currency_subset.xml'))).toBe(
      await (async () => {
        const path = join(dir, 'sdn-crlf.xml');
        writeFileSync(path, sdn.replace(/\n/g, '\r\n'));
        return readSdn(path);
      })(),
    );
  });
});

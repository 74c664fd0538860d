// CSV cells of the audit export: RFC 4180 quoting and the spreadsheet formula-injection guard.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUDIT_CSV_COLUMNS, csvCell, csvRow } from '../../src/services/audit/export.ts';
import { parseChanges } from '../../src/services/audit/internal.ts';

describe('audit export CSV', () => {
  it('leaves plain cells alone', () => {
    assert.equal(csvCell(''), '');
    assert.equal(csvCell('user.create'), 'user.create');
    assert.equal(csvCell('2026-01-31T00:00:00.000Z'), '2026-01-31T00:00:00.000Z');
    assert.equal(csvCell('2001:db8::1'), '2001:db8::1');
    assert.equal(csvCell("it's"), "it's");
    assert.equal(csvCell('a=b+c-d@e'), 'a=b+c-d@e', 'only a leading character is a formula trigger');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('"'), '""""');
    assert.equal(csvCell('one\ntwo'), '"one\ntwo"');
    assert.equal(csvCell('one\r\ntwo'), '"one\r\ntwo"');
    assert.equal(csvCell('{"before":{"name":"x"}}'), '"{""before"":{""name"":""x""}}"');
  });

  it('prefixes cells starting with = + - @ TAB CR with an apostrophe', () => {
    assert.equal(csvCell('=1+2'), "'=1+2");
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\tcmd'), "'\tcmd");
    assert.equal(csvCell('\rcmd'), '"\'\rcmd"', 'a CR also forces quoting');
  });

  it('guards first, then quotes', () => {
    assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvCell('-2,3'), `"'-2,3"`);
  });

  it('builds CRLF-terminated records and the fixed header', () => {
    assert.equal(csvRow(['a', 'b,c', '=d']), `a,"b,c",'=d\r\n`);
    assert.equal(
      csvRow(AUDIT_CSV_COLUMNS),
      'id,timestamp,action,resource,resource_id,user_id,username,ip_address,source,status,error_code,error,request_id,changes\r\n',
    );
  });

  it('parses stored changes back to JSON, null when empty, the text when not JSON', () => {
    assert.equal(parseChanges(''), null);
    assert.deepEqual(parseChanges('{"after":{"n":1}}'), { after: { n: 1 } });
    assert.equal(parseChanges('not json'), 'not json');
  });
});

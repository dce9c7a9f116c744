import { describe, expect, it } from 'vitest';
import { detectContentType, safeName } from '../../../server/http/multipart';
import { formDataSchema } from '../../../server/http/openapi';
import { canonicalJson } from '../../../server/domain/submissions';
import { toIsoInstant } from '../../../server/engine/user-tasks';

describe('attachment checks', () => {
  it('decides the type from the content, not the name', () => {
    expect(detectContentType(Buffer.from('%PDF-1.7 ...'))).toBe('application/pdf');
    expect(detectContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(detectContentType(Buffer.from('MZ\x90\x00'))).toBeUndefined();
    expect(detectContentType(Buffer.from('<html>'))).toBeUndefined();
  });

  it('keeps only a safe base name', () => {
    expect(safeName('../../etc/passwd')).toBe('passwd');
    expect(safeName('C:\\Users\\a\\Scan "1".pdf')).toBe('Scan _1_.pdf');
    expect(safeName('')).toBe('anhang');
    expect(safeName('a'.repeat(500))).toHaveLength(200);
  });
});

describe('canonical JSON', () => {
  it('hashes the same content the same way whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
    expect(canonicalJson({ a: undefined })).toBe('{"a":null}');
  });
});

describe('OpenAPI from forms', () => {
  it('turns form rules into JSON Schema', () => {
    const schema = formDataSchema([
      { type: 'number', key: 'copies', decimalDigits: 0, validate: { required: true, min: 1, max: 5 } },
      { type: 'select', key: 'kind', values: [{ value: 'a' }, { value: 'b' }] },
      { type: 'text', text: 'just text' } as any,
    ]) as any;
    expect(schema.required).toEqual(['copies']);
    expect(schema.properties.copies).toEqual({ type: 'integer', minimum: 1, maximum: 5 });
    expect(schema.properties.kind).toEqual({ enum: ['a', 'b'] });
    expect(Object.keys(schema.properties)).toEqual(['copies', 'kind']);
  });
});

describe('Zeebe dates', () => {
  it('reads the zone-suffixed dates of user-task headers', () => {
    expect(toIsoInstant('2026-11-25T16:37:53.116Z[Etc/UTC]')).toBe('2026-11-25T16:37:53.116Z');
    expect(toIsoInstant('2026-11-25T17:00:00+01:00[Europe/Zurich]')).toBe('2026-11-25T16:00:00.000Z');
    expect(toIsoInstant(undefined)).toBeNull();
    expect(toIsoInstant('garbage')).toBeNull();
  });
});

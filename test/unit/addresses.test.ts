/** Pasted addresses: every way a manager pastes them, and a clear reason for each bad one. */
import { describe, expect, it } from 'vitest';
import { addressProblem, parseAddress, parseAddressList, splitEntries } from '../../src/shared/addresses';

describe('splitting a paste', () => {
  it('separates on new lines, commas and semicolons, outside quotes and angle brackets', () => {
    expect(splitEntries('a@x.test\r\nb@x.test, c@x.test;d@x.test\n\n ;, \n')).toEqual([
      'a@x.test',
      'b@x.test',
      'c@x.test',
      'd@x.test',
    ]);
    expect(splitEntries('"Doe, Jane" <jane@x.test>; Bo <bo@x.test>')).toEqual([
      '"Doe, Jane" <jane@x.test>',
      'Bo <bo@x.test>',
    ]);
  });

  it('keeps an unquoted "Surname, Name <address>" together', () => {
    expect(splitEntries('Doe, Jane <jane@x.test>, Roe, Rick <rick@x.test>')).toEqual([
      'Doe, Jane <jane@x.test>',
      'Roe, Rick <rick@x.test>',
    ]);
    // A piece with no @ before a plain address is not a name: it is reported on its own.
    expect(splitEntries('Sales, jane@x.test')).toEqual(['Sales', 'jane@x.test']);
  });
});

describe('one entry', () => {
  it.each([
    ['jane@example.com', 'jane@example.com', null],
    ['  Jane.Doe+tag@Mail.Example.co.uk ', 'Jane.Doe+tag@Mail.Example.co.uk', null],
    ['Jane Doe <jane@example.com>', 'jane@example.com', 'Jane Doe'],
    ['"Doe, Jane" <jane@example.com>', 'jane@example.com', 'Doe, Jane'],
    ['<jane@example.com>', 'jane@example.com', null],
    ['mailto:jane@example.com', 'jane@example.com', null],
    ['Jane Doe\tjane@example.com\tSales', 'jane@example.com', null],
  ])('reads %j', (entry, email, name) => {
    expect(parseAddress(entry)).toEqual({ email, name });
  });

  it.each([
    ['jane', /no @/],
    ['jane@example', /domain “example” has no dot/],
    ['jane doe@example.com', /contains a space/],
    ['jane@@example.com', /more than one @/],
    ['a@b.test c@d.test', /contains a space/],
    ['jane@example.com.bob@example.com', /more than one @/],
    ['@example.com', /nothing comes before the @/],
    ['jane@', /nothing comes after the @/],
    ['jané@example.com', /“é” cannot be part of an address/],
    ['jane@exa_mple.com', /“_” cannot be part of a domain/],
    ['.jane@example.com', /misplaced dot/],
    ['jane@-example.com', /not a valid domain/],
    ['jane@example.c0m', /valid suffix/],
    ['Jane <jane@example.com', /< and > do not enclose one address/],
    ['Jane <>', /no address/],
    ['Name\tTeam', /no @/],
    [`${'x'.repeat(65)}@example.com`, /longer than 64/],
  ])('refuses %j, saying why', (entry, why) => {
    const parsed = parseAddress(entry);
    expect(parsed).toMatchObject({ reason: expect.stringMatching(why) });
  });

  it('accepts nothing the portal would refuse (local@domain.tld, no spaces)', () => {
    const portal = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
    const tries = ['a@b.co', 'x@y', 'a b@c.de', 'a@b.c', "o'neil@x.io", 'a@b..c', 'é@x.fr', 'q@x.y.z'];
    for (const t of tries) if (addressProblem(t) === null) expect(portal.test(t)).toBe(true);
  });
});

describe('a whole paste', () => {
  it('keeps each address once (any case), says which repeat and which are malformed', () => {
    const list = parseAddressList('Ann <ann@x.test>, bo@x.test\nANN@x.test; nope\nbo@X.test\nann@x.test');
    expect(list.addresses).toEqual([
      { email: 'ann@x.test', name: 'Ann' },
      { email: 'bo@x.test', name: null },
    ]);
    expect(list.repeated).toEqual([
      { email: 'ann@x.test', times: 3 },
      { email: 'bo@x.test', times: 2 },
    ]);
    expect(list.malformed).toEqual([{ text: 'nope', reason: 'there is no @ in it' }]);
    expect(list.entries).toBe(6);
  });

  it('reads an empty paste as no entries at all', () => {
    expect(parseAddressList(' \n ,; \n')).toEqual({ addresses: [], malformed: [], repeated: [], entries: 0 });
  });
});

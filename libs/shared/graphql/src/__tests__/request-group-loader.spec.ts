import { describe, expect, it, jest } from '@jest/globals';
import { RequestContext } from '#cairn/shared/tenancy';
import { requestGroupLoader } from '../request-loader.js';

type Row = { id: number; owner: string };

describe('requestGroupLoader', () => {
  it('fetches once per tick and gives each key its rows in fetch order, [] when none', async () => {
    const fetchMany = jest.fn(async (keys: readonly string[]): Promise<Row[]> =>
      [
        { id: 1, owner: 'b' },
        { id: 2, owner: 'a' },
        { id: 3, owner: 'b' },
        { id: 4, owner: 'stranger' },
      ].filter((row) => keys.includes(row.owner)),
    );
    const groups = await RequestContext.run(() => {
      const loader = () => requestGroupLoader('test-groups', fetchMany, (row: Row) => row.owner);
      return Promise.all(['a', 'b', 'c'].map((key) => loader().load(key)));
    });
    expect(fetchMany).toHaveBeenCalledTimes(1);
    expect(groups.map((rows) => rows.map((r) => r.id))).toEqual([[2], [1, 3], []]);
  });
});

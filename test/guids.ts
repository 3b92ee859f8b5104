/**
 * Test GUIDs with their ImmutableIDs and display-order Base64, computed with Python:
 * base64(uuid.UUID(g).bytes_le) and base64(uuid.UUID(g).bytes).
 */
export const G = {
  1: { guid: '10203040-0000-4000-8000-000000000001', id: 'QDAgEAAAAECAAAAAAAAAAQ==', displayOrder: 'ECAwQAAAQACAAAAAAAAAAQ==' },
  2: { guid: '20406080-0000-4000-8000-000000000002', id: 'gGBAIAAAAECAAAAAAAAAAg==', displayOrder: 'IEBggAAAQACAAAAAAAAAAg==' },
  3: { guid: '306090c0-0000-4000-8000-000000000003', id: 'wJBgMAAAAECAAAAAAAAAAw==', displayOrder: 'MGCQwAAAQACAAAAAAAAAAw==' },
  4: { guid: '4080c100-0000-4000-8000-000000000004', id: 'AMGAQAAAAECAAAAAAAAABA==', displayOrder: 'QIDBAAAAQACAAAAAAAAABA==' },
  5: { guid: '50a0f140-0000-4000-8000-000000000005', id: 'QPGgUAAAAECAAAAAAAAABQ==', displayOrder: 'UKDxQAAAQACAAAAAAAAABQ==' },
  6: { guid: '60c12180-0000-4000-8000-000000000006', id: 'gCHBYAAAAECAAAAAAAAABg==', displayOrder: 'YMEhgAAAQACAAAAAAAAABg==' },
  7: { guid: '70e151c0-0000-4000-8000-000000000007', id: 'wFHhcAAAAECAAAAAAAAABw==', displayOrder: 'cOFRwAAAQACAAAAAAAAABw==' },
  8: { guid: '81018200-0000-4000-8000-000000000008', id: 'AIIBgQAAAECAAAAAAAAACA==', displayOrder: 'gQGCAAAAQACAAAAAAAAACA==' },
  9: { guid: '91a1b2c3-0000-4000-8000-000000000009', id: 'w7KhkQAAAECAAAAAAAAACQ==', displayOrder: 'kaGywwAAQACAAAAAAAAACQ==' },
  /** fedcba98-7654-3210-fedc-ba9876543210: no on-prem row of any test has it. */
  stranger: { guid: 'fedcba98-7654-3210-fedc-ba9876543210', id: 'mLrc/lR2EDL+3LqYdlQyEA==', displayOrder: '/ty6mHZUMhD+3LqYdlQyEA==' },
} as const;

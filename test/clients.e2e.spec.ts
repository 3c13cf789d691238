import { ApiModule } from '#cairn-app/api';
import { coachingFirm, createClient, TestApi, testConfig } from '#cairn/shared/testing';

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

it('smoke', async () => {
  const { coach, client, otherCoach } = await coachingFirm(api);
  const created = await createClient(api, coach, { jobTitle: 'Sales Representative' });
  const r = await api.gql(`{ clients { edges { node { id displayName jobTitle engagements { coach { id jobTitle } isPrimary status startsOn } } } } }`, {}, { token: coach.accessToken });
  console.log(JSON.stringify(r, null, 1));
  const o = await api.gql(`query($id: ID!) { client(id: $id) { id } }`, { id: client.user.id }, { token: otherCoach.accessToken });
  console.log(JSON.stringify(o));
  expect(created.id).toBeTruthy();
});

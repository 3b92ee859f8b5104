// Drives a tenant with Microsoft's own libraries, unmodified: @azure/identity's
// ClientSecretCredential and the Kiota-based Graph SDK (@microsoft/msgraph-sdk, -users, -core).
// ESM-only packages, so this runs as its own process. argv[2] is a JSON list of scenarios, each
// [name, ...args], run in order; the tenant comes from the environment. Prints one JSON line: per
// scenario, what the SDK returned or threw.
import { ClientSecretCredential } from '@azure/identity';
import { GraphRequestAdapter, createGraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import { createUserCollectionResponseFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/index.js';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';
import { BatchRequestContent, GraphAzureIdentityAuthenticationProvider, PageIterator } from '@microsoft/msgraph-sdk-core';

const { TENANT_URL, TENANT_ID, CLIENT_ID, CLIENT_SECRET } = process.env;
const credential = new ClientSecretCredential(TENANT_ID, CLIENT_ID, CLIENT_SECRET, {
  authorityHost: TENANT_URL,
  // Instance discovery goes to login.microsoftonline.com whatever the authority; the local
  // tenant's own host is the authority here.
  disableInstanceDiscovery: true,
});
const auth = new GraphAzureIdentityAuthenticationProvider(credential, ['https://graph.microsoft.com/.default'], undefined, new Set([new URL(TENANT_URL).hostname]));
const adapter = new GraphRequestAdapter(auth);
adapter.baseUrl = `${TENANT_URL}/v1.0`;
const graph = createGraphServiceClient(adapter);

const failure = (err) => ({ error: { status: err.responseStatusCode, message: err.error?.message ?? err.message } });

const scenarios = {
  async token() {
    const t = await credential.getToken('https://graph.microsoft.com/.default');
    const [, payload] = t.token.split('.');
    return { claims: JSON.parse(Buffer.from(payload, 'base64url').toString()) };
  },
  async page() {
    const first = await graph.users.get({ queryParameters: { top: 7, select: ['id', 'userPrincipalName', 'onPremisesImmutableId'] } });
    const users = [];
    const iterator = new PageIterator(
      adapter,
      first,
      (u) => {
        users.push([u.userPrincipalName, u.onPremisesImmutableId ?? null]);
        return true;
      },
      createUserCollectionResponseFromDiscriminatorValue,
      { XXX: createODataErrorFromDiscriminatorValue },
    );
    await iterator.iterate();
    return { users };
  },
  async byUpnInParentheses(...args) {
    // The user-get page's form for a UPN that starts with '$': /users('$x@y').
    const upn = args[0];
    const u = await graph.users.byUserId(upn).withUrl(`${TENANT_URL}/v1.0/users('${encodeURIComponent(upn)}')`).get({ queryParameters: { select: ['id', 'userPrincipalName'] } });
    return { id: u.id, userPrincipalName: u.userPrincipalName };
  },
  async byUpn(...args) {
    const u = await graph.users.byUserId(args[0]).get({ queryParameters: { select: ['id', 'userPrincipalName', 'onPremisesImmutableId', 'accountEnabled'] } });
    return { id: u.id, userPrincipalName: u.userPrincipalName, onPremisesImmutableId: u.onPremisesImmutableId ?? null, accountEnabled: u.accountEnabled ?? null };
  },
  async filterPlus(...args) {
    const value = args[0];
    const r = await graph.users.get({
      queryParameters: { filter: `onPremisesImmutableId eq '${value}'`, count: true, select: ['userPrincipalName'] },
      headers: { ConsistencyLevel: 'eventual' },
    });
    return { count: r.odataCount, users: r.value.map((u) => u.userPrincipalName) };
  },
  async patch(...args) {
    await graph.users.byUserId(args[0]).patch({ onPremisesImmutableId: args[1], jobTitle: 'Rehearsed' });
    const u = await graph.users.byUserId(args[0]).get({ queryParameters: { select: ['onPremisesImmutableId', 'jobTitle'] } });
    return { onPremisesImmutableId: u.onPremisesImmutableId, jobTitle: u.jobTitle };
  },
  async throttled(...args) {
    // The SDK's retry handler rides out 429s by Retry-After; it gives up after its retries.
    const out = [];
    for (let i = 0; i < Number(args[0]); i++) {
      try {
        await graph.users.get({ queryParameters: { select: ['id'], top: 1 } });
        out.push(200);
      } catch (err) {
        out.push(err.responseStatusCode);
      }
    }
    return { statuses: out };
  },
  async batch(...args) {
    const ids = args;
    const content = new BatchRequestContent(adapter, { XXX: createODataErrorFromDiscriminatorValue });
    const steps = ids.map((id) => content.addBatchRequest(graph.users.byUserId(id).toGetRequestInformation()));
    const response = await content.postAsync();
    return {
      answers: steps.map((s, i) => ({ user: ids[i], status: response.getResponseById(s.id)?.status })),
      order: [...response.getResponses().keys()],
    };
  },
};

const results = [];
for (const [name, ...args] of JSON.parse(process.argv[2])) {
  try {
    results.push(await scenarios[name](...args));
  } catch (err) {
    results.push(failure(err));
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);

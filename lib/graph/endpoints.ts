/**
 * Microsoft's public cloud, the default of --graph-url and --login-url (other clouds and the local
 * tenant are given with those options). Apart from the Graph client and MSAL, so that declaring the
 * options does not load them.
 */
export const PUBLIC_GRAPH_URL = 'https://graph.microsoft.com';
export const PUBLIC_LOGIN_URL = 'https://login.microsoftonline.com';

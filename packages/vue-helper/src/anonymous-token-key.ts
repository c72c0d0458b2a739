/**
 * Where an anonymous visitor's token is kept across reloads (`localStorage`), exported for hosts.
 * A module of its own: the launcher exports it, and must not take the panel's client along.
 */
export const ANONYMOUS_TOKEN_KEY = 'helperkit:anonymous-token';

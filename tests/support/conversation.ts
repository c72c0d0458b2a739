import { randomUUID } from 'node:crypto';
import { LOGIN_COOKIE, type RunningHostApp } from './host-app.js';

/**
 * Starts a conversation as the logged-in customer `email` would from the widget (identity from
 * the host's signing middleware, a session, the first message), then adds `replies` staff
 * answers through the staff endpoints. Answers the conversation's id.
 */
export async function seedConversation(
  host: RunningHostApp,
  email: string,
  first: string,
  replies: readonly string[],
): Promise<string> {
  const call = async <T>(path: string, init: RequestInit): Promise<T> => {
    const response = await fetch(`${host.url}/helper${path}`, init);
    if (!response.ok)
      throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const { metadata, ...identity } = await call<{ metadata?: object }>('/widget/identity', {
    headers: { cookie: `${LOGIN_COOKIE}=${encodeURIComponent(email)}` },
  });
  // As the widget sends it: the signed metadata goes as `customerMetadata`, with its hash.
  const { token } = await call<{ token: string }>('/widget/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...identity, ...(metadata ? { customerMetadata: metadata } : {}) }),
  });
  const { conversation } = await call<{ conversation: { id: string } }>('/conversations', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ body: first, clientId: randomUUID() }),
  });
  for (const body of replies) {
    await host.staff('POST', `/staff/conversations/${conversation.id}/messages`, { body });
  }
  return conversation.id;
}

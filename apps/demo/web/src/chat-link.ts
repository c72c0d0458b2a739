import type { Helper } from '@helperkit/vue';
import { computed, type ComputedRef } from 'vue';

/**
 * What the page says about an email-to-chat link (`?helper_chat=`). The widget itself opens the
 * linked conversation once the visitor is identified as the customer the email came from; the
 * demo only explains why it did not.
 */
export function chatLink(helper: Helper): { notice: ComputedRef<string | null> } {
  const notice = computed(() => {
    const session = helper.session.value;
    if (helper.chatLinkToken.value !== null && session !== null && session.customer === null) {
      return 'This chat link is for a customer: log in as the customer the email came from (see "Logged in as"), and the conversation opens.';
    }
    const error = helper.error.value;
    if (error?.kind !== 'chat') return null;
    if (error.code === 'link_expired') return 'This chat link has expired: send a new test email.';
    if (error.code === 'not_found') {
      return 'This chat link is for another customer: log in as the customer the email came from, and the conversation opens.';
    }
    return null;
  });
  return { notice };
}

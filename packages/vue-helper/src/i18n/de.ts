import type { HelperMessages } from './types.js';

const de: HelperMessages = {
  title: 'Kundenservice',
  toggle: 'Chat mit {title} öffnen',
  unread: { one: '{count} ungelesen', other: '{count} ungelesen' },
  close: 'Chat mit {title} schließen',
  connecting: 'Verbindung wird hergestellt …',
  unavailable: 'Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.',
  reconnecting: 'Verbindung wird wiederhergestellt …',
  allConversations: 'Alle Unterhaltungen',
  conversations: 'Unterhaltungen',
  newConversation: 'Neue Unterhaltung',
  loadingConversations: 'Unterhaltungen werden geladen …',
  tryAgain: 'Erneut versuchen',
  closed: 'Geschlossen',
  closedNotice:
    'Diese Unterhaltung ist geschlossen. Mit einer neuen Nachricht öffnen Sie sie wieder.',
  newReplies: { one: '{count} neue', other: '{count} neue' },
  conversation: 'Unterhaltung',
  messages: 'Nachrichten',
  loadEarlier: 'Ältere Nachrichten laden',
  loadingMessages: 'Nachrichten werden geladen …',
  noMessages: 'Noch keine Nachrichten – fragen Sie uns einfach',
  you: 'Sie:',
  staff: 'Kundenservice:',
  sending: 'Wird gesendet …',
  notSent: 'Nicht gesendet: {reason}',
  retryAfter: {
    one: 'Bitte in {count} Sekunde erneut versuchen.',
    other: 'Bitte in {count} Sekunden erneut versuchen.',
  },
  retry: 'Erneut senden',
  byEmail: 'per E-Mail',
  message: 'Nachricht',
  placeholder: 'Nachricht schreiben …',
  send: 'Senden',
  emptyMessage: 'Bitte schreiben Sie zuerst eine Nachricht.',
  tooLong: 'Eine Nachricht darf höchstens {max} Zeichen lang sein.',
  controlCharacters: 'Die Nachricht enthält Zeichen, die nicht gesendet werden können.',
};

export default de;

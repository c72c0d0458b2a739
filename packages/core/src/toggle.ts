/**
 * Whether the floating toggle button shows while the widget is hidden: the client's
 * `showToggleButton` option wins when given, else the server's `showWidget` decides.
 */
export function resolveToggleButton(
  clientOption: boolean | undefined,
  showWidget: boolean,
): boolean {
  return typeof clientOption === 'boolean' ? clientOption : showWidget;
}

/**
 * Splits slash-command text into words the way a shell user expects: whitespace separates, double quotes
 * (straight or the curly ones Slack clients type) group. Slack escapes `&`, `<` and `>` in command text; they
 * are decoded first.
 */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function tokenize(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quoted = false;
  let inWord = false;
  for (const character of decodeSlackText(text)) {
    if (character === '"' || character === '\u201c' || character === '\u201d') {
      quoted = !quoted;
      inWord = true;
      continue;
    }
    if (!quoted && /\s/.test(character)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    current += character;
    inWord = true;
  }
  if (inWord) words.push(current);
  return words;
}

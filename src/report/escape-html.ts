/** Text and attribute values made safe to put into HTML. */
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Inside <script>, "</script" would end the element early; "<\/" means the same in JS strings and regexes. */
export const scriptSafe = (text: string): string => text.replace(/<\/(script)/gi, '<\\/$1');

/** JSON for a <script type="application/json"> element: its raw text must not close the element. */
export const jsonForScript = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

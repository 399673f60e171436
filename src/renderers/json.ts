import type { Renderer } from './types.js';

/** The findings document exactly as the contract defines it, two-space indented, newline-terminated. */
export const renderJson: Renderer = (doc) => JSON.stringify(doc, null, 2) + '\n';

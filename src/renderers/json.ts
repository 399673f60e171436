import { jsonChunks } from '../findings/json-text.js';
import type { Renderer } from './types.js';

/** The findings document exactly as the contract defines it, two-space indented, newline-terminated. */
export const renderJson: Renderer = (doc) => [...jsonChunks(doc)].join('');

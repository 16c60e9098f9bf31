import { HttpError } from './http.mjs';

export function requireString(source, field, { max, label = field } = {}) {
  const value = source[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HttpError(400, `${label} is required and must be a non-empty string`);
  }
  if (max !== undefined && value.length > max) {
    throw new HttpError(400, `${label} must be at most ${max} characters`);
  }
  return value;
}

export function requireInteger(source, field, { min, max, label = field }) {
  const value = source[field];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `${label} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** `{ sku, quantity, unit_price_cents }` from a request body or one entry of `items`. */
export function parseItem(source, prefix = '') {
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    throw new HttpError(400, `${prefix || 'item'} must be an object`);
  }
  return {
    sku: requireString(source, 'sku', { max: 64, label: `${prefix}sku` }).trim(),
    quantity: requireInteger(source, 'quantity', {
      min: 1,
      max: 10_000,
      label: `${prefix}quantity`,
    }),
    unit_price_cents: requireInteger(source, 'unit_price_cents', {
      min: 0,
      max: 100_000_000,
      label: `${prefix}unit_price_cents`,
    }),
  };
}

export function parseItems(value) {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 100) {
    throw new HttpError(400, 'items must be an array of at most 100 items');
  }
  return value.map((item, index) => parseItem(item, `items[${index}].`));
}

/** The Luhn checksum every real card number passes: catches typos before the "processor". */
function passesLuhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Digits only; spaces and dashes as people type them are allowed. */
export function parseCardNumber(source) {
  const digits = requireString(source, 'card_number', { max: 32 }).replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !passesLuhn(digits)) {
    throw new HttpError(400, 'card_number is not a valid card number');
  }
  return digits;
}

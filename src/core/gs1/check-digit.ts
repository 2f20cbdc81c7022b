/** The GS1 mod-10 check digit of a digit string (weights 3, 1, 3, ... from the right). */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  for (let i = digitsWithoutCheck.length - 1, w = 3; i >= 0; i--, w = 4 - w) {
    sum += (digitsWithoutCheck.charCodeAt(i) - 48) * w;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a digit string ends in its correct GS1 check digit. */
export function hasValidCheckDigit(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

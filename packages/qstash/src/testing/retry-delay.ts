/**
 * Evaluates a QStash `Upstash-Retry-Delay` expression (milliseconds) for a given `retried`:
 * numbers, `retried`, `+ - * /`, parentheses and pow, sqrt, abs, exp, floor, ceil, round, min,
 * max, as QStash documents them. Throws on anything else, so a typo fails the publish like it
 * would on QStash instead of silently using another delay.
 */
export function evaluateRetryDelay(expression: string, retried: number): number {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_]+|[-+*/(),]|\S/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (expected?: string) => {
    const token = tokens[pos++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new SyntaxError(`invalid retry delay "${expression}": expected ${expected ?? "a value"} at token ${pos}`);
    }
    return token;
  };
  const functions: Record<string, (...args: number[]) => number> = {
    pow: Math.pow, sqrt: Math.sqrt, abs: Math.abs, exp: Math.exp, floor: Math.floor, ceil: Math.ceil, round: Math.round, min: Math.min, max: Math.max,
  };
  const primary = (): number => {
    const token = take();
    if (/^\d/.test(token)) return Number(token);
    if (token === "retried") return retried;
    if (token === "(") {
      const value = sum();
      take(")");
      return value;
    }
    if (token === "-") return -primary();
    const fn = functions[token];
    if (!fn) throw new SyntaxError(`invalid retry delay "${expression}": unknown name "${token}"`);
    take("(");
    const args = [sum()];
    while (peek() === ",") {
      take(",");
      args.push(sum());
    }
    take(")");
    return fn(...args);
  };
  const product = (): number => {
    let value = primary();
    while (peek() === "*" || peek() === "/") value = take() === "*" ? value * primary() : value / primary();
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === "+" || peek() === "-") value = take() === "+" ? value + product() : value - product();
    return value;
  };
  const value = sum();
  if (pos !== tokens.length || !Number.isFinite(value)) throw new SyntaxError(`invalid retry delay "${expression}"`);
  return Math.max(0, value);
}

/** A list of numbers in a float64 typed array that doubles as it fills: exact for any id SQLite hands out that a JS number holds. */
export class NumberList {
  values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

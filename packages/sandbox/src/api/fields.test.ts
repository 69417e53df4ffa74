import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { amount, parseParams, percent } from './fields.js'

describe('amount and percent', () => {
  const schema = z.strictObject({ 'TransactionAmount.Value': amount, Fee: percent.optional() })

  it("reads FPS's six-decimal form and a percentage up to 100 exactly", () => {
    expect(parseParams(schema, { 'TransactionAmount.Value': '1.500000', Fee: '100.0' })).toEqual({
      'TransactionAmount.Value': 150,
      Fee: 10_000,
    })
  })

  it.each([
    [
      { 'TransactionAmount.Value': '01.00' },
      /^TransactionAmount.Value must be an amount such as 19.99/,
    ],
    [{ 'TransactionAmount.Value': '1.005' }, /^TransactionAmount.Value must be an amount/],
    [{ 'TransactionAmount.Value': '1', Fee: '100.5' }, /^Fee must be a percentage from 0 to 100/],
  ])('refuses %j naming the parameter', (params, message) => {
    expect(() => parseParams(schema, params)).toThrowError(message)
  })
})

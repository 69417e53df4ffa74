import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors.js'
import { parseIpn, parseMoney, parseReturn } from './parse.js'
import { describeReturnStatus } from './status.js'

describe('parseReturn and describeReturnStatus', () => {
  it('reads a successful return and maps SC to a card authorization', () => {
    const parsed = parseReturn({
      status: 'SC',
      tokenID: 'T1',
      callerReference: 'o-1',
      expiry: '10/2013',
      signature: 's',
    })
    expect(parsed).toEqual({
      status: 'SC',
      tokenID: 'T1',
      callerReference: 'o-1',
      expiry: '10/2013',
    })
    expect(describeReturnStatus(parsed.status)).toMatchObject({
      outcome: 'success',
      paymentMethod: 'CC',
    })
  })

  it.each([
    ['SA', 'success', 'ABT'],
    ['SB', 'success', 'ACH'],
    ['SR', 'success', undefined],
    ['SU', 'success', undefined],
    ['SE', 'system-error', undefined],
    ['A', 'abandoned', undefined],
    ['CE', 'caller-error', undefined],
    ['PE', 'payment-method-mismatch', undefined],
    ['NP', 'not-supported', undefined],
    ['NM', 'not-registered', undefined],
  ] as const)('maps %s to %s', (code, outcome, paymentMethod) => {
    const status = describeReturnStatus(parseReturn({ status: code }).status)
    expect(status.outcome).toBe(outcome)
    expect(status.paymentMethod).toBe(paymentMethod)
  })

  it('reads the prepaid and postpaid token and instrument ids', () => {
    expect(
      parseReturn({
        status: 'SA',
        fundingTokenID: 'F',
        prepaidSenderTokenID: 'P',
        prepaidInstrumentID: 'I',
      })
    ).toEqual({
      status: 'SA',
      fundingTokenID: 'F',
      prepaidSenderTokenID: 'P',
      prepaidInstrumentID: 'I',
    })
    expect(
      parseReturn({
        status: 'SC',
        creditSenderTokenID: 'C',
        settlementTokenID: 'S',
        creditInstrumentID: 'K',
      })
    ).toMatchObject({
      creditSenderTokenID: 'C',
      settlementTokenID: 'S',
      creditInstrumentID: 'K',
    })
  })

  it('keeps errorMessage for caller errors and refuses unknown or missing statuses', () => {
    expect(
      parseReturn({
        status: 'CE',
        errorMessage: 'The following input(s) are not well formed: [callerReference]',
      }).errorMessage
    ).toMatch(/callerReference/)
    expect(() => parseReturn({ status: 'PS' })).toThrow(/status/)
    expect(() => parseReturn({})).toThrowError(expect.objectContaining({ parameter: 'status' }))
  })
})

describe('parseIpn', () => {
  it('reads a 2012 sandbox TransactionStatus IPN (R6)', () => {
    const ipn = parseIpn({
      transactionAmount: 'USD 110.00',
      signatureMethod: 'RSA-SHA1',
      transactionId: '176S9C7KKD5MF9GH13G721JMK2AP185VLR8',
      transactionDate: '1347421609',
      statusMessage: 'The transaction was successful and the payment instrument was charged.',
      statusCode: 'Success',
      operation: 'PAY',
      notificationType: 'TransactionStatus',
      transactionStatus: 'SUCCESS',
      paymentMethod: 'CC',
      callerReference: 'R641358124-1347421615',
    })
    expect(ipn).toMatchObject({
      notificationType: 'TransactionStatus',
      transactionId: '176S9C7KKD5MF9GH13G721JMK2AP185VLR8',
      transactionStatus: 'SUCCESS',
      statusCode: 'Success',
      operation: 'PAY',
      callerReference: 'R641358124-1347421615',
      transactionAmount: { currencyCode: 'USD', value: '110.00' },
      transactionDate: new Date(1347421609 * 1000),
      paymentMethod: 'CC',
    })
  })

  it('reads the 2009 form that used status instead of transactionStatus (R2)', () => {
    const ipn = parseIpn({
      notificationType: 'TransactionStatus',
      transactionId: '14DRG2JGR7LK4J54P544DKKNDLQFFZLE323',
      status: 'INITIATED',
    })
    expect(ipn).toMatchObject({ transactionStatus: 'INITIATED' })
  })

  it('reads a TokenCancellation IPN', () => {
    expect(
      parseIpn({
        notificationType: 'TokenCancellation',
        tokenId: 'T9',
        tokenType: 'MultiUse',
        dateInstalled: 'Sep 27, 2009',
      })
    ).toEqual({
      notificationType: 'TokenCancellation',
      tokenId: 'T9',
      tokenType: 'MultiUse',
      dateInstalled: 'Sep 27, 2009',
    })
  })

  it.each([
    [{ notificationType: 'Other' }, 'notificationType'],
    [{ notificationType: 'TransactionStatus', transactionStatus: 'SUCCESS' }, 'transactionId'],
    [{ notificationType: 'TransactionStatus', transactionId: 'X' }, 'status'],
    [
      {
        notificationType: 'TransactionStatus',
        transactionId: 'X',
        transactionStatus: 'SUCCESS',
        transactionAmount: '1.00',
      },
      'transactionAmount',
    ],
    [
      {
        notificationType: 'TransactionStatus',
        transactionId: 'X',
        transactionStatus: 'SUCCESS',
        transactionDate: 'today',
      },
      'transactionDate',
    ],
    [
      {
        notificationType: 'TransactionStatus',
        transactionId: 'X',
        transactionStatus: 'SUCCESS',
        paymentMethod: 'VISA',
      },
      'paymentMethod',
    ],
    [{ notificationType: 'TokenCancellation' }, 'tokenId'],
  ])('refuses %j naming %s', (params, parameter) => {
    expect(() => parseIpn(params)).toThrowError(expect.objectContaining({ parameter }))
  })

  it('keeps amounts as exact strings', () => {
    expect(parseMoney('USD 0.10')).toEqual({ currencyCode: 'USD', value: '0.10' })
    expect(parseMoney('USD 1.000000')).toEqual({ currencyCode: 'USD', value: '1.000000' })
  })

  it.each(['USD 1.005', 'USD 01.00', 'USD -1.00', 'USD 1e2', 'USD1.00'])('refuses %j', (text) => {
    expect(() => parseMoney(text)).toThrowError(InvalidParameterError)
  })
})

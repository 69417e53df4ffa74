import { describe, expect, it } from 'vitest'
import { parseXml } from './parser.js'

describe('parseXml', () => {
  it('keeps ids and amounts as strings and drops the namespace', () => {
    const xml =
      '<?xml version="1.0"?><PayResponse xmlns="http://fps.amazonaws.com/doc/2008-09-17/"><PayResult><TransactionId>0123456789</TransactionId><TransactionStatus>Pending</TransactionStatus></PayResult><ResponseMetadata><RequestId>c21e7735-9c08-4cd8-99bf-535a848c79b4:0</RequestId></ResponseMetadata></PayResponse>'
    expect(parseXml(xml)).toEqual({
      PayResponse: {
        PayResult: { TransactionId: '0123456789', TransactionStatus: 'Pending' },
        ResponseMetadata: { RequestId: 'c21e7735-9c08-4cd8-99bf-535a848c79b4:0' },
      },
    })
  })

  it('makes repeatable elements arrays even when there is one', () => {
    const xml =
      '<GetTokensResponse><GetTokensResult><Token><TokenId>T1</TokenId></Token></GetTokensResult></GetTokensResponse>'
    expect(parseXml(xml)).toEqual({
      GetTokensResponse: { GetTokensResult: { Token: [{ TokenId: 'T1' }] } },
    })
  })

  it('makes account activity transactions arrays but leaves GetTransaction single', () => {
    const activity = parseXml(
      '<GetAccountActivityResponse><GetAccountActivityResult><Transaction><TransactionId>A</TransactionId><TransactionPart><Role>Sender</Role></TransactionPart></Transaction></GetAccountActivityResult></GetAccountActivityResponse>'
    )
    expect(activity).toEqual({
      GetAccountActivityResponse: {
        GetAccountActivityResult: {
          Transaction: [{ TransactionId: 'A', TransactionPart: [{ Role: 'Sender' }] }],
        },
      },
    })
    const single = parseXml(
      '<GetTransactionResponse><GetTransactionResult><Transaction><TransactionId>B</TransactionId></Transaction></GetTransactionResult></GetTransactionResponse>'
    )
    expect(single).toEqual({
      GetTransactionResponse: { GetTransactionResult: { Transaction: { TransactionId: 'B' } } },
    })
  })

  it('decodes entities and refuses malformed XML', () => {
    expect(parseXml('<A><B>x &amp; y</B></A>')).toEqual({ A: { B: 'x & y' } })
    expect(() => parseXml('<A><B></A>')).toThrowError(
      expect.objectContaining({ code: 'invalid_response' })
    )
    expect(() => parseXml('not xml')).toThrowError(
      expect.objectContaining({ code: 'invalid_response' })
    )
  })
})

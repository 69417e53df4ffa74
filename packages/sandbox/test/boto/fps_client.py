"""Drives boto 2's FPS client, boto.fps.connection.FPSConnection, against a sandbox.

Run by src/boto.test.ts with Debian's /usr/bin/python3 and python3-boto (2.49). boto's FPS module
is Python 2 code in two places: the argument-checking decorators on FPSConnection's methods call
dict.has_key, and cbui_url calls urllib.quote. So each API call goes through the layer beneath the
decorators, boto's get_object (boto's Signature V2 signing, HTTP and XML parsing), with the action
name and response class boto's own method declares; and cbui_url runs without its @requires check,
under boto's own @needs_caller_reference, with urllib.quote given its Python 3 name.

FPS's sandbox host names resolve to 127.0.0.1 here, as a hosts entry would make them, so boto
talks to fps.sandbox.amazonaws.com:<port> and signs that host, as it would against FPS.

  fps_client.py cbui-url <port> <accessKeyId> <secretKey>            boto's SingleUse pipeline URL
  fps_client.py api <port> <accessKeyId> <secretKey> <senderTokenId>  what boto parsed, as JSON
"""

import json
import socket
import sys
import urllib
import urllib.parse
import uuid

from boto.fps.connection import FPSConnection, needs_caller_reference
from boto.fps.exception import ResponseError

FPS_HOSTS = ('fps.sandbox.amazonaws.com', 'authorize.payments-sandbox.amazon.com')
resolve = socket.getaddrinfo


def hosts_entry(host, *args, **kwargs):
    return resolve('127.0.0.1' if host in FPS_HOSTS else host, *args, **kwargs)


socket.getaddrinfo = hosts_entry
urllib.quote = urllib.parse.quote  # Python 2's name for it, which cbui_url calls


def undecorated(method):
    """The function beneath boto's decorators: each wrapper keeps the function it wraps in its closure."""
    while method.__name__ == 'wrapper':
        method = next(cell.cell_contents for cell in method.__closure__ if callable(cell.cell_contents))
    return method


def call(connection, method, params):
    """One action as boto's `method` performs it, minus its argument checks."""
    return connection.get_object(method.action, params, method.response)


def cbui_url(connection):
    build = needs_caller_reference(undecorated(FPSConnection.cbui_url))
    return build(
        connection,
        pipelineName='SingleUse',
        version='2009-01-09',
        callerReference='boto-' + uuid.uuid4().hex,
        returnURL='https://shop.example/boto/return',
        transactionAmount='5.00',
        paymentReason='A song, paid for through boto',
    )


def amount(value):
    return {'Value': str(value.Value), 'CurrencyCode': value.CurrencyCode}


def api(connection, sender_token_id):
    pay = call(connection, FPSConnection.pay, {
        'SenderTokenId': sender_token_id,
        'TransactionAmount.Value': '5.00',
        'TransactionAmount.CurrencyCode': 'USD',
        'CallerReference': 'boto-pay-' + uuid.uuid4().hex,
    }).PayResult
    status = call(connection, FPSConnection.get_transaction_status, {
        'TransactionId': pay.TransactionId,
    }).GetTransactionStatusResult
    refund = call(connection, FPSConnection.refund, {
        'TransactionId': pay.TransactionId,
        'RefundAmount.Value': '2.00',
        'RefundAmount.CurrencyCode': 'USD',
        'CallerReference': 'boto-refund-' + uuid.uuid4().hex,
    }).RefundResult
    balance = call(connection, FPSConnection.get_account_balance, {})
    tokens = call(connection, FPSConnection.get_tokens, {}).GetTokensResult.Token
    try:
        call(connection, FPSConnection.get_transaction_status, {'TransactionId': 'NOSUCHTRANSACTION'})
        error = None
    except ResponseError as raised:
        error = {
            'class': type(raised).__name__,
            'code': raised.error_code,
            'status': raised.status,
            'message': raised.error_message,
        }
    account = balance.GetAccountBalanceResult.AccountBalance
    return {
        'pay': {'TransactionId': pay.TransactionId, 'TransactionStatus': pay.TransactionStatus},
        'status': {
            'TransactionId': status.TransactionId,
            'TransactionStatus': status.TransactionStatus,
            'StatusCode': status.StatusCode,
        },
        'refund': {'TransactionId': refund.TransactionId, 'TransactionStatus': refund.TransactionStatus},
        'balance': {
            'TotalBalance': amount(account.TotalBalance),
            'DisburseBalance': amount(account.AvailableBalances.DisburseBalance),
        },
        'requestId': balance.ResponseMetadata.RequestId,
        'tokens': [{'TokenId': token.TokenId, 'TokenStatus': token.TokenStatus} for token in tokens],
        'error': error,
    }


def main(command, port, access_key_id, secret_key, *rest):
    connection = FPSConnection(
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_key,
        host=FPS_HOSTS[0],
        port=int(port),
        is_secure=False,
    )
    if command == 'cbui-url':
        print(cbui_url(connection))
    else:
        print(json.dumps(api(connection, *rest)))


if __name__ == '__main__':
    main(*sys.argv[1:])

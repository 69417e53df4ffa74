import { InvalidParameterError } from '../errors.js'
import { parseAmount } from '../money.js'
// kept for sign_ratio 1.6–2.5× by measurement (packages/protocol/README.md, "Signing speed")
import { passed, passedBefore } from '../signature/memo.js'
import {
  isPipelineName,
  type ParameterKind,
  type ParameterSpec,
  PIPELINES,
  type PipelineName,
} from './parameters.js'
import { isSecureUrl } from './secure-url.js'

const PERIOD = /^[1-9]\d{0,3} (Second|Minute|Hour|Day|Week|Month|Year)s?$/
const RECURRING_PERIOD = /^[1-9]\d{0,3} (Day|Week|Month|Year)s?$/
const PAYMENT_METHODS = new Set(['ABT', 'ACH', 'CC'])

type Check = (value: string, spec: ParameterSpec) => string | undefined

/** Each kind's check answers what is wrong with a value, or undefined when it is well formed. */
const CHECKS: Record<ParameterKind, Check> = {
  text: (value, { max }) =>
    max !== undefined && value.length > max && [...value].length > max
      ? `must be at most ${max} characters`
      : undefined,
  amount: (value) =>
    (parseAmount(value) ?? 0) > 0 ? undefined : 'must be a positive amount such as 19.99',
  amountOrZero: (value) =>
    parseAmount(value) === undefined ? 'must be an amount such as 0.50' : undefined,
  percent: (value) =>
    (parseAmount(value) ?? Number.POSITIVE_INFINITY) <= 10_000
      ? undefined
      : 'must be a percentage from 0 to 100',
  count: (value) => (/^[1-9]\d{0,9}$/.test(value) ? undefined : 'must be a whole number'),
  boolean: (value) => (value === 'True' || value === 'False' ? undefined : 'must be True or False'),
  epoch: (value) => (/^\d{1,12}$/.test(value) ? undefined : 'must be seconds since the Unix epoch'),
  currency: (value) => (value === 'USD' ? undefined : 'must be USD, the only currency FPS accepts'),
  paymentMethods: checkPaymentMethods,
  url: (value) => checkUrl(value, ['http:', 'https:']),
  httpsUrl: (value) => {
    const problem = checkUrl(value, ['http:', 'https:'])
    return problem ?? (isSecureUrl(new URL(value)) ? undefined : 'must be an https URL')
  },
  period: (value) => (PERIOD.test(value) ? undefined : 'must look like "1 Month" or "6 Months"'),
  recurringPeriod: (value) =>
    RECURRING_PERIOD.test(value) ? undefined : 'must look like "1 Month" or "2 Weeks"',
  choice: (value, { choices }) =>
    choices?.includes(value) ? undefined : `must be one of ${choices?.join(', ')}`,
}

/**
 * Checks the wire parameters of a CBUI request against its pipeline, so a bad request is refused
 * with the parameter named before a buyer ever sees the pages. Throws {@link InvalidParameterError}.
 */
export function validatePipelineParams(params: Readonly<Record<string, string>>): void {
  const pipelineName = params.pipelineName
  if (!isPipelineName(pipelineName)) {
    throw new InvalidParameterError(
      'pipelineName',
      `must be one of ${Object.keys(PIPELINES).join(', ')}`
    )
  }
  const plan = PLANS[pipelineName]
  for (const name of plan.required) {
    if (!params[name])
      throw new InvalidParameterError(name, `is required by the ${pipelineName} pipeline`)
  }
  for (const name in params) {
    const parameter = plan.parameters.get(name)
    if (!parameter)
      throw new InvalidParameterError(name, `is not a parameter of the ${pipelineName} pipeline`)
    const value = params[name] as string
    if (value === '' || passedBefore(parameter, value)) continue
    const problem = parameter.check(value, parameter.spec)
    if (problem) throw new InvalidParameterError(name, problem)
    passed(parameter, value)
  }
  checkCombinations(params)
}

interface Plan {
  parameters: ReadonlyMap<string, { spec: ParameterSpec; check: Check }>
  required: readonly string[]
}

/** Each pipeline's parameters with their checks, resolved once rather than on every request. */
const PLANS = Object.fromEntries(
  Object.entries(PIPELINES).map(([pipeline, specs]): [string, Plan] => {
    const entries: [string, ParameterSpec][] = Object.entries(specs)
    return [
      pipeline,
      {
        parameters: new Map(
          entries.map(([name, spec]) => [name, { spec, check: CHECKS[spec.kind] }])
        ),
        required: entries.filter(([, spec]) => spec.required).map(([name]) => name),
      },
    ]
  })
) as Record<PipelineName, Plan>

const USAGE_LIMITS = ['1', '2'].map((n) => ({
  type: `usageLimitType${n}`,
  value: `usageLimitValue${n}`,
  period: `usageLimitPeriod${n}`,
}))

function checkCombinations(params: Readonly<Record<string, string>>): void {
  for (const names of USAGE_LIMITS) {
    const type = params[names.type]
    const value = params[names.value]
    if ((type === undefined) !== (value === undefined)) {
      throw new InvalidParameterError(names.value, `goes together with ${names.type}`)
    }
    if (params[names.period] !== undefined && type === undefined) {
      throw new InvalidParameterError(names.period, `needs ${names.type}`)
    }
    if (type === 'Count' && value !== undefined && CHECKS.count(value, { kind: 'count' })) {
      throw new InvalidParameterError(names.value, 'must be a whole number for a Count limit')
    }
  }
  if (params.isRecipientCobranding === 'True' && !params.recipientTokenList) {
    throw new InvalidParameterError(
      'recipientTokenList',
      'is required when isRecipientCobranding is True'
    )
  }
  const { validityStart, validityExpiry } = params
  if (validityStart && validityExpiry && Number(validityExpiry) <= Number(validityStart)) {
    throw new InvalidParameterError('validityExpiry', 'must be after validityStart')
  }
}

function checkPaymentMethods(value: string): string | undefined {
  const methods = value.split(',')
  const valid =
    methods.every((m) => PAYMENT_METHODS.has(m)) && new Set(methods).size === methods.length
  return valid ? undefined : 'must be a comma-separated subset of ABT, ACH, CC'
}

function checkUrl(value: string, protocols: readonly string[]): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'must be an absolute URL'
  }
  return protocols.includes(url.protocol) ? undefined : `must be a ${protocols.join(' or ')} URL`
}

import { getDenialReasons, getGrantReasons, runSimulation, type RequestAnalysis, type RunSimulationResults, type Simulation } from '@cloud-copilot/iam-simulate';
import type { Json, ResolvedResource, ResolvedTemplate } from './intrinsics.ts';

/**
 * Thin wrappers over @cloud-copilot/iam-simulate (AGPL-3.0-or-later; a devDependency used by tests only, never shipped)
 * for the three kinds of request a least-privilege test asks about.
 *
 * How iam-simulate models principals (read from its 0.1.x source, services/DefaultServiceAuthorizer.js):
 * - A service principal is the bare service name as the request principal, e.g. `events.amazonaws.com` (no `service:`
 *   prefix, no ARN). It matches a statement whose `Principal.Service` is that exact string. Identity policies play no
 *   part: the request is allowed only when the resource policy allows it, so a service principal needs a resource
 *   policy. Conditions such as `aws:SourceArn`/`aws:SourceAccount` are evaluated against the context given.
 * - Same account (principal account = resource account): an Allow in either the identity policies or the resource
 *   policy suffices, except where the service requires the resource policy to trust the account (a KMS key policy
 *   without the account's root statement, an IAM role trust policy for sts:AssumeRole).
 * - Cross-account: both the identity policies and the resource policy must allow; a missing resource policy denies.
 *   The account of the resource is taken from its ARN.
 * - It does not fill in context keys from the request yet, so these wrappers add the ones AWS always sets
 *   (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:PrincipalServiceName`, `aws:SecureTransport`...);
 *   context given by the caller wins.
 * - Context keys that do not apply to the action are dropped silently by the simulator; these wrappers throw instead,
 *   so a mistyped key cannot make a condition look unmet (or a Deny look inapplicable).
 */

export interface SimulationOutcome {
  allowed: boolean;
  /** Why, in one line, for a failure message. */
  explain: string;
}

export type ContextValues = Record<string, string | string[]>;

export interface RoleRequest {
  /** An AWS::IAM::Role from resolveTemplate: its inline `Policies[].PolicyDocument` are the identity policies. */
  role: ResolvedResource;
  /** Documents of managed policies attached to the role, if any. */
  managedPolicies?: unknown[];
  action: string;
  resourceArn: string;
  /** The account that owns the resource, for ARNs that carry none (S3) or `*`; defaults to the ARN's, else the role's. */
  resourceAccount?: string;
  /** The resource's own policy (topic, queue or key policy, a role's trust policy), if it has one. */
  resourcePolicy?: unknown;
  context?: ContextValues;
  /** The role session name (a Lambda function's name for its execution role). */
  sessionName?: string;
}

export interface ServiceRequest {
  /** The service principal, e.g. `events.amazonaws.com`. */
  service: string;
  action: string;
  resourceArn: string;
  resourceAccount?: string;
  resourcePolicy: unknown;
  /** Usually `aws:SourceArn` and `aws:SourceAccount`, as the service sends them. */
  context?: ContextValues;
}

export interface AssumeRoleRequest {
  /** Who calls sts:AssumeRole: a role, user or account root ARN, e.g. `arn:aws:iam::222222222222:role/x`. */
  principalArn: string;
  /** The AWS::IAM::Role to assume, from resolveTemplate; its AssumeRolePolicyDocument is the trust policy. */
  role: ResolvedResource;
  /** E.g. `sts:ExternalId`, `aws:PrincipalOrgID`. */
  context?: ContextValues;
  /**
   * The caller's own identity policies. By default one that allows sts:AssumeRole on this role, so that the outcome
   * is the trust policy's (a cross-account caller also needs its own account's Allow); pass [] for a caller without it.
   */
  callerPolicies?: unknown[];
}

/** Every simulation made through this module, for a closing line such as `summary()`. */
export const simulationTally = {
  requests: 0,
  allowed: 0,
  denied: 0,
  milliseconds: 0,
  reset(): void {
    this.requests = 0;
    this.allowed = 0;
    this.denied = 0;
    this.milliseconds = 0;
  },
  /** Meant for after the assertions on every outcome passed, hence "as expected". */
  summary(): string {
    return `${this.requests} simulated requests: ${this.allowed} allowed as expected, ${this.denied} denied as expected`;
  },
};

export async function simulateRoleRequest(request: RoleRequest): Promise<SimulationOutcome> {
  const { role } = request;
  if (role.type !== 'AWS::IAM::Role' || role.arn === undefined) throw new Error(`simulateRoleRequest needs an AWS::IAM::Role, got ${role.type}`);
  const { partition, accountId, resourcePath } = arnParts(role.arn);
  const roleName = resourcePath.slice(resourcePath.lastIndexOf('/') + 1);
  const sessionName = request.sessionName ?? 'simulation';
  const inline = role.properties.Policies;
  const identityPolicies = [
    ...(Array.isArray(inline) ? inline : []).map((policy, index) => {
      if (!isJsonObject(policy)) throw new Error(`${role.ref}: Policies[${index}] is not an object`);
      return { name: typeof policy.PolicyName === 'string' ? policy.PolicyName : `inline-${index}`, policy: policy.PolicyDocument };
    }),
    ...(request.managedPolicies ?? []).map((policy, index) => ({ name: `managed-${index}`, policy })),
  ];
  const roleId = role.attributes.RoleId;
  return simulate({
    principal: `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    servicePrincipal: false,
    action: request.action,
    resourceArn: request.resourceArn,
    resourceAccount: request.resourceAccount ?? accountOf(request.resourceArn) ?? accountId,
    identityPolicies,
    resourcePolicy: request.resourcePolicy,
    automaticContext: {
      'aws:PrincipalArn': role.arn,
      'aws:PrincipalAccount': accountId,
      'aws:PrincipalType': 'AssumedRole',
      'aws:PrincipalIsAWSService': 'false',
      'aws:SecureTransport': 'true',
      ...(roleId === undefined ? {} : { 'aws:userid': `${roleId}:${sessionName}` }),
    },
    context: request.context ?? {},
  });
}

export async function simulateServiceRequest(request: ServiceRequest): Promise<SimulationOutcome> {
  // iam-simulate treats a principal as a service when it is no ARN and ends in amazonaws.com, and then compares it with
  // Principal.Service as a plain string: anything else would silently be matched as some other kind of principal.
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(request.service)) {
    throw new Error(`a service principal is a bare service name such as events.amazonaws.com, not ${request.service}`);
  }
  const resourceAccount = request.resourceAccount ?? accountOf(request.resourceArn);
  if (resourceAccount === undefined) throw new Error(`${request.resourceArn} names no account: give resourceAccount`);
  return simulate({
    principal: request.service,
    servicePrincipal: true,
    action: request.action,
    resourceArn: request.resourceArn,
    resourceAccount,
    identityPolicies: [],
    resourcePolicy: request.resourcePolicy,
    automaticContext: { 'aws:PrincipalServiceName': request.service, 'aws:PrincipalIsAWSService': 'true', 'aws:SecureTransport': 'true' },
    context: request.context ?? {},
  });
}

export async function simulateAssumeRole(request: AssumeRoleRequest): Promise<SimulationOutcome> {
  const { role, principalArn } = request;
  if (role.type !== 'AWS::IAM::Role' || role.arn === undefined) throw new Error(`simulateAssumeRole needs an AWS::IAM::Role, got ${role.type}`);
  const caller = arnParts(principalArn);
  // A role never calls an API itself: a session of it does, and a trust policy naming the role matches its sessions.
  // For a session, aws:PrincipalArn is its role's ARN (whose path a session ARN does not carry).
  const path = caller.resourcePath;
  const sessionRole = path.startsWith('assumed-role/') ? path.split('/')[1] : undefined;
  const roleName = path.startsWith('role/') ? path.slice(path.lastIndexOf('/') + 1) : undefined;
  const principal = roleName === undefined ? principalArn : `arn:${caller.partition}:sts::${caller.accountId}:assumed-role/${roleName}/simulation`;
  const principalArnKey = sessionRole === undefined ? principalArn : `arn:${caller.partition}:iam::${caller.accountId}:role/${sessionRole}`;
  const principalType = path === 'root' ? 'Account' : path.startsWith('user/') ? 'User' : 'AssumedRole';
  const callerPolicies = request.callerPolicies ?? [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role.arn }] }];
  return simulate({
    principal,
    servicePrincipal: false,
    action: 'sts:AssumeRole',
    resourceArn: role.arn,
    resourceAccount: arnParts(role.arn).accountId,
    identityPolicies: callerPolicies.map((policy, index) => ({ name: `caller-${index}`, policy })),
    resourcePolicy: role.properties.AssumeRolePolicyDocument,
    automaticContext: {
      'aws:PrincipalArn': principalArnKey,
      'aws:PrincipalAccount': caller.accountId,
      'aws:PrincipalType': principalType,
      'aws:PrincipalIsAWSService': 'false',
      'aws:SecureTransport': 'true',
    },
    context: request.context ?? {},
  });
}

/**
 * The resource policy AWS holds for a resource of the resolved template: the topic policies naming a topic, the queue
 * policies naming a queue, a key's key policy, a role's trust policy, a bucket's bucket policy, and, for a Lambda
 * function, the policy its AWS::Lambda::Permission resources add up to (as Lambda's AddPermission writes it).
 * Undefined when the resource has none.
 */
export function resourcePolicyOf(template: ResolvedTemplate, logicalId: string): Json | undefined {
  const resource = template.resources[logicalId];
  if (resource === undefined) throw new Error(`no resource ${logicalId} in this deployment`);
  const others = Object.values(template.resources);
  const statementsOf = (type: string, listProperty: string, value: string): Json[] =>
    others
      .filter((other) => other.type === type && listContains(other.properties[listProperty], value))
      .flatMap((other) => {
        const document = other.properties.PolicyDocument;
        const statements = isJsonObject(document) ? document.Statement : undefined;
        return Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
      });
  const policy = (statements: Json[]): Json | undefined => (statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements });
  switch (resource.type) {
    case 'AWS::SNS::Topic':
      return policy(statementsOf('AWS::SNS::TopicPolicy', 'Topics', resource.ref));
    case 'AWS::SQS::Queue':
      return policy(statementsOf('AWS::SQS::QueuePolicy', 'Queues', resource.ref));
    case 'AWS::S3::Bucket':
      return policy(statementsOf('AWS::S3::BucketPolicy', 'Bucket', resource.ref));
    case 'AWS::KMS::Key':
      return resource.properties.KeyPolicy;
    case 'AWS::IAM::Role':
      return resource.properties.AssumeRolePolicyDocument;
    case 'AWS::Lambda::Function':
      return policy(others.filter((other) => other.type === 'AWS::Lambda::Permission' && namesFunction(other.properties.FunctionName, resource)).map((permission) => permissionStatement(permission, resource)));
    default:
      throw new Error(`resourcePolicyOf does not know where ${resource.type} keeps its resource policy`);
  }
}

interface SimulationInput {
  principal: string;
  servicePrincipal: boolean;
  action: string;
  resourceArn: string;
  resourceAccount: string;
  identityPolicies: { name: string; policy: unknown }[];
  resourcePolicy: unknown;
  automaticContext: ContextValues;
  context: ContextValues;
}

async function simulate(input: SimulationInput): Promise<SimulationOutcome> {
  const simulation: Simulation = {
    request: {
      principal: input.principal,
      action: input.action,
      resource: { resource: input.resourceArn, accountId: input.resourceAccount },
      contextVariables: { ...input.automaticContext, ...input.context },
    },
    identityPolicies: input.identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(input.resourcePolicy === undefined ? {} : { resourcePolicy: input.resourcePolicy }),
  };
  const started = performance.now();
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  simulationTally.milliseconds += performance.now() - started;
  if (result.resultType === 'error') {
    throw new Error(`iam-simulate rejected ${input.action} on ${input.resourceArn}: ${result.errors.message} ${JSON.stringify(result.errors)}`);
  }
  const ignored = ignoredKeys(result).filter((key) => Object.keys(input.context).some((given) => given.toLowerCase() === key.toLowerCase()));
  if (ignored.length > 0) throw new Error(`context key(s) ${ignored.join(', ')} do not apply to ${input.action} on ${input.resourceArn}, and iam-simulate would ignore them`);
  const allowed = result.overallResult === 'Allowed';
  simulationTally.requests += 1;
  if (allowed) simulationTally.allowed += 1;
  else simulationTally.denied += 1;
  const analyses = result.resultType === 'single' ? [result.result.analysis] : result.results.map((each) => each.analysis);
  const details = analyses.map((analysis) => describe(analysis, input.servicePrincipal)).join(' | ');
  return { allowed, explain: `${input.principal} ${input.action} on ${input.resourceArn}: ${result.overallResult}${details === '' ? '' : ` (${details})`}` };
}

function ignoredKeys(result: Exclude<RunSimulationResults, { resultType: 'error' }>): string[] {
  return result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((each) => each.ignoredContextKeys ?? []);
}

function describe(analysis: RequestAnalysis, servicePrincipal: boolean): string {
  // iam-simulate reports a service principal's request as cross-account with denying identity policies: true to its
  // model (only the resource policy counts) but noise in a failure message.
  const parts = [servicePrincipal ? 'service principal' : analysis.sameAccount ? 'same account' : 'cross-account'];
  if (analysis.identityAnalysis !== undefined && !servicePrincipal) parts.push(`identity policies: ${analysis.identityAnalysis.result}`);
  if (analysis.resourceAnalysis !== undefined) parts.push(`resource policy: ${analysis.resourceAnalysis.result}`);
  const statement = (policyType: string, identifier: string | undefined, index: number, sid: string | undefined): string =>
    `${policyType}${identifier === undefined ? '' : ` ${identifier}`} statement ${index}${sid === undefined ? '' : ` (${sid})`}`;
  if (analysis.result === 'Allowed') {
    const grants = getGrantReasons(analysis).map((grant) =>
      statement(grant.policyType, grant.policyType === 'resource' ? undefined : grant.policyIdentifier, grant.statementIndex, grant.statementId),
    );
    if (grants.length > 0) parts.push(`allowed by ${grants.join(', ')}`);
  } else {
    const denials = getDenialReasons(analysis)
      .filter((denial) => !(servicePrincipal && denial.policyType === 'identity'))
      .map((denial) =>
        denial.denialType === 'Explicit'
          ? `explicit Deny in ${statement(denial.policyType, denial.policyIdentifier, denial.statementIndex, denial.statementId)}`
          : `no Allow in ${denial.policyType} policies`,
      );
    if (denials.length > 0) parts.push(denials.join(', '));
    // The statements that would have allowed but for their conditions are usually what a failing test is about.
    for (const [kind, statements] of [
      ['identity', analysis.identityAnalysis?.unmatchedStatements ?? []],
      ['resource', analysis.resourceAnalysis?.unmatchedStatements ?? []],
    ] as const) {
      for (const unmatched of statements) {
        const explain = unmatched.explain;
        if (explain.effect !== 'Allow' || !explain.actionMatch || !explain.resourceMatch || explain.conditionMatch) continue;
        if (kind === 'resource' && explain.principalMatch === 'NoMatch') continue;
        const failed = (explain.conditions ?? []).filter((condition) => !condition.matches).map((condition) => `${condition.operator} ${condition.conditionKeyValue}`);
        parts.push(`${kind} statement ${explain.identifier} unmet condition ${failed.join(', ')}`);
      }
    }
  }
  if (analysis.blockedBy !== undefined && analysis.blockedBy.length > 0) parts.push(`blocked by ${analysis.blockedBy.join(', ')}`);
  return parts.join('; ');
}

function isJsonObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arnParts(arn: string): { partition: string; accountId: string; resourcePath: string } {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw new Error(`not an ARN: ${arn}`);
  return { partition: parts[1] ?? '', accountId: parts[4] ?? '', resourcePath: parts.slice(5).join(':') };
}

function accountOf(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const account = arnParts(arn).accountId;
  return account === '' ? undefined : account;
}

function listContains(list: Json | undefined, value: string): boolean {
  return Array.isArray(list) ? list.includes(value) : list === value;
}

function namesFunction(functionName: Json | undefined, fn: ResolvedResource): boolean {
  if (typeof functionName !== 'string') return false;
  return [fn.ref, fn.arn].some((name) => name !== undefined && (functionName === name || functionName.startsWith(`${name}:`)));
}

/** The statement Lambda's AddPermission writes for one AWS::Lambda::Permission. */
function permissionStatement(permission: ResolvedResource, fn: ResolvedResource): Json {
  const { Principal: principal, Action: action, FunctionName: functionName, SourceArn: sourceArn, SourceAccount: sourceAccount } = permission.properties;
  const { PrincipalOrgID: orgId, EventSourceToken: eventSourceToken, FunctionUrlAuthType: urlAuthType } = permission.properties;
  if (typeof principal !== 'string' || typeof action !== 'string' || typeof functionName !== 'string') throw new Error(`${permission.ref}: a Permission needs Principal, Action and FunctionName`);
  const statementPrincipal: Json =
    principal === '*'
      ? '*'
      : /^\d{12}$/.test(principal)
        ? { AWS: `arn:aws:iam::${principal}:root` }
        : principal.startsWith('arn:')
          ? { AWS: principal }
          : { Service: principal };
  const stringEquals: Record<string, Json> = {};
  if (typeof sourceAccount === 'string') stringEquals['aws:SourceAccount'] = sourceAccount;
  if (typeof orgId === 'string') stringEquals['aws:PrincipalOrgID'] = orgId;
  if (typeof eventSourceToken === 'string') stringEquals['lambda:EventSourceToken'] = eventSourceToken;
  if (typeof urlAuthType === 'string') stringEquals['lambda:FunctionUrlAuthType'] = urlAuthType;
  const condition: Record<string, Json> = {};
  if (Object.keys(stringEquals).length > 0) condition.StringEquals = stringEquals;
  // Lambda compares SourceArn with ArnLike, so a pattern in SourceArn works as one.
  if (typeof sourceArn === 'string') condition.ArnLike = { 'aws:SourceArn': sourceArn };
  return {
    Sid: permission.ref,
    Effect: 'Allow',
    Principal: statementPrincipal,
    Action: action,
    // A permission on a qualified name (`name:alias`) applies to that qualifier only.
    Resource: functionName.startsWith('arn:') ? functionName : `${fn.arn ?? ''}${functionName.includes(':') ? functionName.slice(functionName.lastIndexOf(':')) : ''}`,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

import { createHash } from 'node:crypto';

/**
 * Resolves a CloudFormation template (as `serverless package` writes it) to the concrete values CloudFormation would
 * give it for one deployment, so a test can reason about real ARNs and names instead of intrinsic functions.
 *
 * Physical names the template leaves to CloudFormation are generated deterministically in CloudFormation's shape
 * (`<stackName>-<LogicalId>-<12 characters>`), so two resolutions of one template agree. Ref and Fn::GetAtt values
 * follow the CloudFormation resource reference ("Return values" of each type); a type or attribute this file does not
 * model throws with its name, so a new resource type fails loudly rather than resolving to something plausible.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Deployment {
  accountId: string;
  region: string;
  partition: string;
  stackName: string;
  /** Template parameter values; parameters not given take their Default. */
  parameters?: Record<string, string>;
}

export interface ResolveContext extends Deployment {
  /** The template whose resources, parameters, mappings and conditions references point into. */
  template?: unknown;
}

export interface ResolvedResource {
  type: string;
  properties: Record<string, Json>;
  /** What `{ Ref: LogicalId }` gives. */
  ref: string;
  arn?: string;
  /** What `Fn::GetAtt` gives, by attribute name. */
  attributes: Record<string, string>;
}

export interface ResolvedTemplate {
  /** Resources whose Condition holds (or that have none), by logical id. */
  resources: Record<string, ResolvedResource>;
  conditions: Record<string, boolean>;
  /** Outputs whose Condition holds, resolved. */
  outputs: Record<string, Json>;
}

export function resolveTemplate(template: unknown, deployment: Deployment): ResolvedTemplate {
  const resolver = new Resolver(parseTemplate(template), deployment);
  const conditions = Object.fromEntries(Object.keys(resolver.template.conditions).map((name) => [name, resolver.condition(name, `Conditions.${name}`)]));
  const resources: Record<string, ResolvedResource> = {};
  for (const [logicalId, resource] of Object.entries(resolver.template.resources)) {
    if (!resolver.included(logicalId)) continue;
    const identity = resolver.identity(logicalId);
    const properties = resolver.resolve(resource.properties, `Resources.${logicalId}.Properties`);
    resources[logicalId] = {
      type: resource.type,
      properties: isJsonObject(properties) ? properties : {},
      ref: identity.ref,
      ...(identity.arn === undefined ? {} : { arn: identity.arn }),
      attributes: Object.fromEntries(Object.entries(identity.attributes).map(([name, value]) => [name, value()])),
    };
  }
  const outputs: Record<string, Json> = {};
  for (const [name, output] of Object.entries(resolver.template.outputs)) {
    if (!isRecord(output)) throw new Error(`Outputs.${name}: not an object`);
    const { Condition: condition, ...rest } = output;
    if (condition !== undefined && typeof condition !== 'string') throw new Error(`Outputs.${name}.Condition: not a condition name`);
    if (condition !== undefined && !resolver.condition(condition, `Outputs.${name}.Condition`)) continue;
    const value = resolver.resolve(rest, `Outputs.${name}`);
    if (value !== NO_VALUE) outputs[name] = value;
  }
  return { resources, conditions, outputs };
}

/** Resolves one piece of a template; `undefined` when it is `{ Ref: 'AWS::NoValue' }` (the key or element goes away). */
export function resolveValue(value: unknown, context: ResolveContext): Json | undefined {
  const { template, ...deployment } = context;
  // Without a template, the parameters given are the template's parameters.
  const standIn = { Resources: {}, Parameters: Object.fromEntries(Object.keys(deployment.parameters ?? {}).map((name) => [name, { Type: 'String' }])) };
  const resolved = new Resolver(parseTemplate(template ?? standIn), deployment).resolve(value, '$');
  return resolved === NO_VALUE ? undefined : resolved;
}

const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
type Resolved = Json | typeof NO_VALUE;

interface TemplateResource {
  type: string;
  condition?: string;
  properties: Record<string, unknown>;
}

interface ParsedTemplate {
  resources: Record<string, TemplateResource>;
  parameters: Record<string, Record<string, unknown>>;
  conditions: Record<string, unknown>;
  mappings: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

interface Identity {
  ref: string;
  arn?: string;
  // Lazy so that an attribute built from the resource's own properties (EventBus.Policy) may refer back to the resource.
  attributes: Record<string, () => string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonObject(value: Resolved): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseTemplate(template: unknown): ParsedTemplate {
  if (!isRecord(template) || !isRecord(template.Resources)) throw new Error('not a CloudFormation template: no Resources object');
  if (template.Transform !== undefined) throw new Error('the template has a Transform: resolve the transformed (processed) template instead');
  const resources: Record<string, TemplateResource> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!isRecord(resource) || typeof resource.Type !== 'string') throw new Error(`Resources.${logicalId}: no Type`);
    if (resource.Condition !== undefined && typeof resource.Condition !== 'string') throw new Error(`Resources.${logicalId}.Condition: not a condition name`);
    if (resource.Properties !== undefined && !isRecord(resource.Properties)) throw new Error(`Resources.${logicalId}.Properties: not an object`);
    resources[logicalId] = {
      type: resource.Type,
      ...(resource.Condition === undefined ? {} : { condition: resource.Condition }),
      properties: resource.Properties ?? {},
    };
  }
  const section = (name: string): Record<string, unknown> => {
    const value = template[name];
    if (value === undefined) return {};
    if (!isRecord(value)) throw new Error(`${name}: not an object`);
    return value;
  };
  const parameters: Record<string, Record<string, unknown>> = {};
  for (const [name, parameter] of Object.entries(section('Parameters'))) {
    if (!isRecord(parameter)) throw new Error(`Parameters.${name}: not an object`);
    parameters[name] = parameter;
  }
  return { resources, parameters, conditions: section('Conditions'), mappings: section('Mappings'), outputs: section('Outputs') };
}

// Regions whose S3 website endpoint is `s3-website-<region>` rather than `s3-website.<region>` (the S3 endpoints table).
const DASHED_S3_WEBSITE_REGIONS = new Set(['us-east-1', 'us-west-1', 'us-west-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-west-1', 'sa-east-1', 'us-gov-west-1']);

class Resolver {
  readonly template: ParsedTemplate;
  private readonly deployment: Deployment;
  private readonly conditionValues = new Map<string, boolean>();
  private readonly identities = new Map<string, Identity>();
  private readonly inProgress: string[] = [];

  constructor(template: ParsedTemplate, deployment: Deployment) {
    this.template = template;
    this.deployment = deployment;
    for (const name of Object.keys(deployment.parameters ?? {})) {
      if (!(name in template.parameters)) throw new Error(`parameter ${name} is given but the template declares no such parameter`);
    }
  }

  included(logicalId: string): boolean {
    const resource = this.template.resources[logicalId];
    if (resource === undefined) return false;
    return resource.condition === undefined || this.condition(resource.condition, `Resources.${logicalId}.Condition`);
  }

  condition(name: string, path: string): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    if (!(name in this.template.conditions)) throw new Error(`${path}: no condition named ${name}`);
    const value = this.guard(`condition ${name}`, () => this.evaluateCondition(this.template.conditions[name], `Conditions.${name}`));
    this.conditionValues.set(name, value);
    return value;
  }

  resolve(value: unknown, path: string): Resolved {
    if (Array.isArray(value)) {
      return value.map((element, index) => this.resolve(element, `${path}[${index}]`)).filter((element): element is Json => element !== NO_VALUE);
    }
    if (isRecord(value)) {
      const keys = Object.keys(value);
      const [only] = keys;
      if (keys.length === 1 && only !== undefined && (only === 'Ref' || only.startsWith('Fn::'))) return this.intrinsic(only, value[only], `${path}.${only}`);
      const result: Record<string, Json> = {};
      for (const key of keys) {
        const resolved = this.resolve(value[key], `${path}.${key}`);
        if (resolved !== NO_VALUE) result[key] = resolved;
      }
      return result;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
    throw new Error(`${path}: not JSON (${typeof value})`);
  }

  identity(logicalId: string): Identity {
    const known = this.identities.get(logicalId);
    if (known !== undefined) return known;
    const resource = this.template.resources[logicalId];
    if (resource === undefined) throw new Error(`no resource ${logicalId}`);
    const build = IDENTITIES[resource.type];
    if (build === undefined) throw new Error(`Resources.${logicalId}: resource type ${resource.type} is not modelled by test/support/intrinsics.ts`);
    const identity = this.guard(`resource ${logicalId}`, () => build(new ResourceView(this, logicalId, resource)));
    this.identities.set(logicalId, identity);
    return identity;
  }

  get pseudo(): Deployment {
    return this.deployment;
  }

  urlSuffix(): string {
    return this.deployment.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  }

  private guard<T>(what: string, compute: () => T): T {
    if (this.inProgress.includes(what)) throw new Error(`circular reference: ${[...this.inProgress, what].join(' -> ')}`);
    this.inProgress.push(what);
    try {
      return compute();
    } finally {
      this.inProgress.pop();
    }
  }

  private evaluateCondition(expression: unknown, path: string): boolean {
    if (!isRecord(expression) || Object.keys(expression).length !== 1) throw new Error(`${path}: not a condition function`);
    const [entry] = Object.entries(expression);
    if (entry === undefined) throw new Error(`${path}: empty condition`);
    const [name, argument] = entry;
    if (name === 'Condition') {
      if (typeof argument !== 'string') throw new Error(`${path}.Condition: not a condition name`);
      return this.condition(argument, path);
    }
    if (!Array.isArray(argument)) throw new Error(`${path}.${name}: arguments must be a list`);
    switch (name) {
      case 'Fn::Equals': {
        if (argument.length !== 2) throw new Error(`${path}.Fn::Equals: takes two values`);
        const [left, right] = argument.map((item, index) => this.resolve(item, `${path}.Fn::Equals[${index}]`));
        return sameValue(left, right);
      }
      case 'Fn::Not':
        if (argument.length !== 1) throw new Error(`${path}.Fn::Not: takes one condition`);
        return !this.evaluateCondition(argument[0], `${path}.Fn::Not[0]`);
      case 'Fn::And':
      case 'Fn::Or': {
        if (argument.length < 2 || argument.length > 10) throw new Error(`${path}.${name}: takes 2 to 10 conditions`);
        const values = argument.map((item, index) => this.evaluateCondition(item, `${path}.${name}[${index}]`));
        return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
      }
      default:
        throw new Error(`${path}: ${name} is not a condition function`);
    }
  }

  private intrinsic(name: string, argument: unknown, path: string): Resolved {
    switch (name) {
      case 'Ref':
        if (typeof argument !== 'string') throw new Error(`${path}: Ref takes a name`);
        return this.ref(argument, path);
      case 'Fn::GetAtt':
        return this.getAtt(argument, path);
      case 'Fn::Sub':
        return this.sub(argument, path);
      case 'Fn::If': {
        if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string') throw new Error(`${path}: Fn::If takes [condition, value if true, value if false]`);
        return this.condition(argument[0], path) ? this.resolve(argument[1], `${path}[1]`) : this.resolve(argument[2], `${path}[2]`);
      }
      case 'Fn::Join': {
        if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') throw new Error(`${path}: Fn::Join takes [delimiter, list]`);
        const list = this.resolve(argument[1], `${path}[1]`);
        if (!Array.isArray(list)) throw new Error(`${path}[1]: Fn::Join needs a list`);
        return list.map((item, index) => scalar(item, `${path}[1][${index}]`)).join(argument[0]);
      }
      case 'Fn::Split': {
        if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') throw new Error(`${path}: Fn::Split takes [delimiter, string]`);
        return scalar(this.resolve(argument[1], `${path}[1]`), `${path}[1]`).split(argument[0]);
      }
      case 'Fn::Select': {
        if (!Array.isArray(argument) || argument.length !== 2) throw new Error(`${path}: Fn::Select takes [index, list]`);
        const index = Number(scalar(this.resolve(argument[0], `${path}[0]`), `${path}[0]`));
        const list = this.resolve(argument[1], `${path}[1]`);
        if (!Array.isArray(list)) throw new Error(`${path}[1]: Fn::Select needs a list`);
        const item = Number.isInteger(index) && index >= 0 ? list[index] : undefined;
        if (item === undefined) throw new Error(`${path}: index ${index} is outside the list of ${list.length}`);
        return item;
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(argument) || argument.length !== 3) throw new Error(`${path}: Fn::FindInMap takes [map, top-level key, second-level key]`);
        const [map, top, second] = argument.map((item, index) => scalar(this.resolve(item, `${path}[${index}]`), `${path}[${index}]`));
        const entry = this.template.mappings[map ?? ''];
        const level = isRecord(entry) ? entry[top ?? ''] : undefined;
        const value = isRecord(level) ? level[second ?? ''] : undefined;
        if (value === undefined) throw new Error(`${path}: Mappings.${map}.${top}.${second} does not exist`);
        return this.resolve(value, `Mappings.${map}.${top}.${second}`);
      }
      case 'Fn::Base64':
        return Buffer.from(scalar(this.resolve(argument, path), path), 'utf8').toString('base64');
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${this.deployment.region}${zone}`);
      default:
        throw new Error(`${path}: intrinsic function ${name} is not supported by test/support/intrinsics.ts`);
    }
  }

  private ref(name: string, path: string): Resolved {
    const { accountId, region, partition, stackName } = this.deployment;
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::Region':
        return region;
      case 'AWS::Partition':
        return partition;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stackName}/${uuidFrom(`${stackName}/AWS::StackId`)}`;
      case 'AWS::URLSuffix':
        return this.urlSuffix();
      case 'AWS::NotificationARNs':
        return [];
    }
    const parameter = this.template.parameters[name];
    if (parameter !== undefined) return this.parameter(name, parameter, path);
    if (name in this.template.resources) return this.resource(name, path).ref;
    throw new Error(`${path}: Ref to ${name}, which is no parameter, pseudo parameter or resource`);
  }

  private parameter(name: string, parameter: Record<string, unknown>, path: string): Json {
    const given = this.deployment.parameters?.[name];
    const fallback = parameter.Default;
    const value = given ?? (typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean' ? fallback : undefined);
    if (value === undefined) throw new Error(`${path}: parameter ${name} has no value and no usable Default`);
    const text = String(value);
    const type = typeof parameter.Type === 'string' ? parameter.Type : 'String';
    return type === 'CommaDelimitedList' || type.startsWith('List<') ? text.split(',').map((item) => item.trim()) : text;
  }

  private resource(logicalId: string, path: string): Identity {
    const resource = this.template.resources[logicalId];
    if (resource?.condition !== undefined && !this.included(logicalId)) {
      throw new Error(`${path}: refers to ${logicalId}, which its condition ${resource.condition} removes from this deployment`);
    }
    return this.identity(logicalId);
  }

  private getAtt(argument: unknown, path: string): string {
    let logicalId: unknown;
    let attribute: unknown;
    if (typeof argument === 'string') {
      const dot = argument.indexOf('.');
      [logicalId, attribute] = dot < 0 ? [argument, undefined] : [argument.slice(0, dot), argument.slice(dot + 1)];
    } else if (Array.isArray(argument) && argument.length === 2) {
      logicalId = argument[0];
      attribute = this.resolve(argument[1], `${path}[1]`);
    }
    if (typeof logicalId !== 'string' || typeof attribute !== 'string') throw new Error(`${path}: Fn::GetAtt takes [LogicalId, Attribute]`);
    if (!(logicalId in this.template.resources)) throw new Error(`${path}: Fn::GetAtt of ${logicalId}, which is no resource`);
    return this.attribute(logicalId, attribute, path);
  }

  private attribute(logicalId: string, attribute: string, path: string): string {
    const value = this.resource(logicalId, path).attributes[attribute];
    const type = this.template.resources[logicalId]?.type ?? '';
    if (value === undefined) throw new Error(`${path}: attribute ${attribute} of ${logicalId} (${type}) is not modelled by test/support/intrinsics.ts`);
    return value();
  }

  private sub(argument: unknown, path: string): string {
    let text: unknown = argument;
    let variables: Record<string, string> = {};
    if (Array.isArray(argument)) {
      if (argument.length !== 2 || !isRecord(argument[1])) throw new Error(`${path}: Fn::Sub takes a string or [string, variables]`);
      text = argument[0];
      variables = Object.fromEntries(Object.entries(argument[1]).map(([name, value]) => [name, scalar(this.resolve(value, `${path}[1].${name}`), `${path}[1].${name}`)]));
    }
    if (typeof text !== 'string') throw new Error(`${path}: Fn::Sub takes a string`);
    return text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      const variable = variables[name];
      if (variable !== undefined) return variable;
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) {
        const logicalId = name.slice(0, dot);
        if (!(logicalId in this.template.resources)) throw new Error(`${path}: \${${name}} names no resource`);
        return this.attribute(logicalId, name.slice(dot + 1), path);
      }
      return scalar(this.ref(name, path), `${path} \${${name}}`);
    });
  }
}

function sameValue(left: Resolved | undefined, right: Resolved | undefined): boolean {
  // CloudFormation compares the string forms: a YAML 5 and "5" are equal, as are true and "true".
  const normal = (value: Resolved | undefined): string =>
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' || typeof item === 'boolean' ? String(item) : item));
  return normal(left) === normal(right);
}

function scalar(value: Resolved, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${path}: expected a string, got ${value === NO_VALUE ? 'AWS::NoValue' : JSON.stringify(value)}`);
}

/** Stable pseudo-random characters for a physical id CloudFormation would make up. */
function suffixFrom(seed: string, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', length = 12): string {
  const digest = createHash('sha256').update(seed).digest();
  return Array.from(digest.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join('');
}

function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Identifies and names one resource, reading the few properties its physical id depends on. */
class ResourceView {
  private readonly resolver: Resolver;
  readonly logicalId: string;
  private readonly resource: TemplateResource;

  constructor(resolver: Resolver, logicalId: string, resource: TemplateResource) {
    this.resolver = resolver;
    this.logicalId = logicalId;
    this.resource = resource;
  }

  get deployment(): Deployment {
    return this.resolver.pseudo;
  }

  get urlSuffix(): string {
    return this.resolver.urlSuffix();
  }

  has(name: string): boolean {
    return name in this.resource.properties;
  }

  /** A property's resolved value, or undefined when absent or AWS::NoValue. */
  property(name: string): Json | undefined {
    if (!(name in this.resource.properties)) return undefined;
    const value = this.resolver.resolve(this.resource.properties[name], `Resources.${this.logicalId}.Properties.${name}`);
    return value === NO_VALUE ? undefined : value;
  }

  text(name: string): string | undefined {
    const value = this.property(name);
    return value === undefined ? undefined : scalar(value, `Resources.${this.logicalId}.Properties.${name}`);
  }

  required(name: string): string {
    const value = this.text(name);
    if (value === undefined) throw new Error(`Resources.${this.logicalId}: ${this.resource.type} needs ${name}`);
    return value;
  }

  flag(name: string): boolean {
    const value = this.property(name);
    return value === true || value === 'true';
  }

  /**
   * The name CloudFormation generates when the template gives none: `<stack>-<LogicalId>-<suffix>`, cut to the type's
   * length limit. CloudFormation's exact shortening of long stack names and logical ids is undocumented; this keeps the
   * start of both and the whole suffix.
   */
  generatedName(maxLength = 255, lowerCase = false): string {
    const suffix = suffixFrom(`${this.deployment.stackName}/${this.logicalId}`);
    const name = `${`${this.deployment.stackName}-${this.logicalId}`.slice(0, maxLength - suffix.length - 1)}-${suffix}`;
    return lowerCase ? name.toLowerCase() : name;
  }

  generatedId(prefix: string, length: number): string {
    return prefix + suffixFrom(`${this.deployment.stackName}/${this.logicalId}/${prefix}`, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', length);
  }

  uuid(): string {
    return uuidFrom(`${this.deployment.stackName}/${this.logicalId}`);
  }

  arn(service: string, resource: string, { region = this.deployment.region, account = this.deployment.accountId } = {}): string {
    return `arn:${this.deployment.partition}:${service}:${region}:${account}:${resource}`;
  }

  /** The 1-based position of this resource among the resources of its type that `key` puts in the same group. */
  ordinal(key: (view: ResourceView) => string): string {
    const mine = key(this);
    let position = 0;
    for (const [logicalId, resource] of Object.entries(this.resolver.template.resources)) {
      if (resource.type !== this.resource.type || !this.resolver.included(logicalId)) continue;
      if (logicalId === this.logicalId) return String(position + 1);
      if (key(new ResourceView(this.resolver, logicalId, resource)) === mine) position += 1;
    }
    throw new Error(`Resources.${this.logicalId}: not in the template`);
  }

  /** The ARN of the function a Lambda::Version/Permission/EventInvokeConfig names by name, partial ARN or ARN. */
  functionArn(): string {
    const name = this.required('FunctionName');
    if (name.startsWith('arn:')) return name.split(':').slice(0, 7).join(':');
    const parts = name.split(':');
    if (parts.length >= 3 && parts[1] === 'function') return this.arn('lambda', `function:${parts[2]}`, { account: parts[0] });
    return this.arn('lambda', `function:${parts[0]}`);
  }
}

function constant(value: string): () => string {
  return () => value;
}

function withRef(ref: string, arn: string | undefined, attributes: Record<string, string>): Identity {
  return { ref, ...(arn === undefined ? {} : { arn }), attributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, constant(value)])) };
}

/**
 * Ref and GetAtt by resource type, from the "Return values" sections of the CloudFormation resource reference. Where
 * that reference documents no Ref value (the policy resources, EventInvokeConfig, Permission), Ref is a generated id
 * of the usual shape: nothing should depend on its form.
 */
const IDENTITIES: Record<string, (view: ResourceView) => Identity> = {
  'AWS::SNS::Topic': (view) => {
    const name = view.text('TopicName') ?? view.generatedName(256 - 5) + (view.flag('FifoTopic') ? '.fifo' : '');
    const arn = view.arn('sns', name);
    return withRef(arn, arn, { TopicArn: arn, TopicName: name });
  },
  'AWS::SQS::Queue': (view) => {
    const name = view.text('QueueName') ?? view.generatedName(80 - 5) + (view.flag('FifoQueue') ? '.fifo' : '');
    const { region, accountId } = view.deployment;
    const url = `https://sqs.${region}.${view.urlSuffix}/${accountId}/${name}`;
    const arn = view.arn('sqs', name);
    return withRef(url, arn, { Arn: arn, QueueName: name, QueueUrl: url });
  },
  'AWS::DynamoDB::Table': (view) => {
    const name = view.text('TableName') ?? view.generatedName();
    const arn = view.arn('dynamodb', `table/${name}`);
    // CloudFormation fails GetAtt StreamArn on a table without a stream, so it is absent (and throws) here too.
    const attributes: Record<string, string> = { Arn: arn };
    if (view.property('StreamSpecification') !== undefined) attributes.StreamArn = `${arn}/stream/1970-01-01T00:00:00.000`;
    return withRef(name, arn, attributes);
  },
  'AWS::KMS::Key': (view) => {
    const keyId = view.uuid();
    const arn = view.arn('kms', `key/${keyId}`);
    return withRef(keyId, arn, { Arn: arn, KeyId: keyId });
  },
  'AWS::KMS::Alias': (view) => {
    const name = view.required('AliasName');
    return withRef(name, view.arn('kms', name), {});
  },
  'AWS::Lambda::Function': (view) => {
    const given = view.text('FunctionName');
    // A FunctionName given as an ARN comes back from Ref as that ARN (cloudformation-coverage-roadmap#2436).
    if (given?.startsWith('arn:')) return withRef(given, given, { Arn: given });
    const name = given ?? view.generatedName(64);
    const arn = view.arn('lambda', `function:${name}`);
    return withRef(name, arn, { Arn: arn });
  },
  'AWS::Lambda::Version': (view) => {
    const version = view.ordinal((other) => other.functionArn());
    const arn = `${view.functionArn()}:${version}`;
    return withRef(arn, arn, { Version: version, FunctionArn: arn });
  },
  'AWS::Lambda::LayerVersion': (view) => {
    const name = view.text('LayerName') ?? view.generatedName(140);
    const version = view.ordinal((other) => other.text('LayerName') ?? other.logicalId);
    const arn = view.arn('lambda', `layer:${name}:${version}`);
    return withRef(arn, arn, { LayerVersionArn: arn });
  },
  'AWS::Lambda::Permission': (view) => {
    const id = view.generatedName(100);
    return withRef(id, undefined, { Id: id });
  },
  'AWS::Lambda::EventInvokeConfig': (view) => withRef(view.uuid(), undefined, {}),
  'AWS::IAM::Role': (view) => {
    const name = view.text('RoleName') ?? view.generatedName(64);
    const path = view.text('Path') ?? '/';
    const arn = `arn:${view.deployment.partition}:iam::${view.deployment.accountId}:role${path}${name}`;
    return withRef(name, arn, { Arn: arn, RoleId: view.generatedId('AROA', 17) });
  },
  'AWS::IAM::ManagedPolicy': (view) => {
    const name = view.text('ManagedPolicyName') ?? view.generatedName(128);
    const path = view.text('Path') ?? '/';
    const arn = `arn:${view.deployment.partition}:iam::${view.deployment.accountId}:policy${path}${name}`;
    return withRef(arn, arn, { PolicyArn: arn, PolicyId: view.generatedId('ANPA', 17), DefaultVersionId: 'v1', IsAttachable: 'true' });
  },
  'AWS::Events::Rule': (view) => {
    const name = view.text('Name') ?? view.generatedName(64);
    const bus = view.text('EventBusName');
    // EventBusName takes a name or an ARN; rules on the default bus keep the short ARN and Ref.
    const busName = bus?.startsWith('arn:') ? bus.slice(bus.indexOf(':event-bus/') + ':event-bus/'.length) : bus;
    const onDefaultBus = busName === undefined || busName === 'default';
    const arn = view.arn('events', onDefaultBus ? `rule/${name}` : `rule/${busName}/${name}`);
    return withRef(onDefaultBus ? name : `${busName}|${name}`, arn, { Arn: arn, RuleName: name });
  },
  'AWS::Events::EventBus': (view) => {
    const name = view.required('Name');
    const arn = view.arn('events', `event-bus/${name}`);
    const identity = withRef(name, arn, { Arn: arn, Name: name });
    if (view.has('Policy')) {
      identity.attributes.Policy = () => {
        const policy = view.property('Policy') ?? '';
        return typeof policy === 'string' ? policy : JSON.stringify(policy);
      };
    }
    return identity;
  },
  'AWS::Events::EventBusPolicy': (view) => withRef(`${view.logicalId}-${view.generatedId('', 12)}`, undefined, {}),
  'AWS::Logs::LogGroup': (view) => {
    const name = view.text('LogGroupName') ?? view.generatedName(512);
    const arn = view.arn('logs', `log-group:${name}:*`);
    return withRef(name, arn, { Arn: arn });
  },
  'AWS::CloudWatch::Alarm': (view) => {
    const name = view.text('AlarmName') ?? view.generatedName();
    const arn = view.arn('cloudwatch', `alarm:${name}`);
    return withRef(name, arn, { Arn: arn });
  },
  'AWS::CloudWatch::Dashboard': (view) => {
    const name = view.text('DashboardName') ?? view.generatedName();
    return withRef(name, view.arn('cloudwatch', `dashboard/${name}`, { region: '' }), {});
  },
  'AWS::SNS::Subscription': (view) => {
    const arn = `${view.required('TopicArn')}:${view.uuid()}`;
    return withRef(arn, arn, { Arn: arn });
  },
  'AWS::SNS::TopicPolicy': (view) => {
    const id = view.generatedName();
    return withRef(id, undefined, { Id: id });
  },
  'AWS::SQS::QueuePolicy': (view) => {
    const id = view.generatedName();
    return withRef(id, undefined, { Id: id });
  },
  'AWS::S3::Bucket': (view) => {
    const name = view.text('BucketName') ?? view.generatedName(63, true);
    const { region, partition } = view.deployment;
    const suffix = view.urlSuffix;
    const website = DASHED_S3_WEBSITE_REGIONS.has(region) ? `s3-website-${region}` : `s3-website.${region}`;
    return withRef(name, `arn:${partition}:s3:::${name}`, {
      Arn: `arn:${partition}:s3:::${name}`,
      DomainName: `${name}.s3.${suffix}`,
      RegionalDomainName: `${name}.s3.${region}.${suffix}`,
      DualStackDomainName: `${name}.s3.dualstack.${region}.${suffix}`,
      WebsiteURL: `http://${name}.${website}.${suffix}`,
    });
  },
  'AWS::S3::BucketPolicy': (view) => withRef(view.generatedName(), undefined, {}),
};

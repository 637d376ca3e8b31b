import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, Resource as SpecResource, SpecDatabase, TypeUnion } from '@aws-cdk/service-spec-types';

// A CloudFormation template checked against AWS's resource specification as published in @aws-cdk/aws-service-spec
// (the CloudFormation registry schemas, merged by the CDK team): resource types, property names at every depth,
// value shapes, required properties, allowed values, and the references intrinsic functions make.

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: unknown;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, TemplateResource>;
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
  Transform?: unknown;
}

export interface SpecReport {
  /** Resources examined. */
  resources: number;
  /**
   * Named property values checked against the spec, at every depth: each key of a resource's Properties and of every
   * nested object the spec types (tags included), each Fn::If branch separately. Keys inside free-form JSON values
   * (policy documents) and map entries are not counted.
   */
  properties: number;
  /** One line each, `<LogicalId>.<path>: <what is wrong>`, in template order. */
  problems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSpecPackage(): { readonly name: string; readonly version: string } {
  const manifestPath = createRequire(import.meta.url).resolve('@aws-cdk/aws-service-spec/package.json');
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (!isRecord(manifest) || typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new Error(`${manifestPath} has no name and version`);
  }
  return { name: manifest.name, version: manifest.version };
}

/** The package the spec comes from, as installed, e.g. `{ name: '@aws-cdk/aws-service-spec', version: '0.1.216' }`. */
export const SPEC_PACKAGE = readSpecPackage();

let loading: Promise<SpecDatabase> | undefined;

/** The spec database, read and parsed once per process (about a second: a 2.6 MB gzip of 1,800 resource types). */
export function loadResourceSpec(): Promise<SpecDatabase> {
  loading ??= loadAwsServiceSpec();
  return loading;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);
const RESOURCE_KEYS = ['Type', 'Properties', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'UpdatePolicy', 'CreationPolicy'];
const DELETION_POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'];
const UPDATE_REPLACE_POLICIES = ['Delete', 'Retain', 'Snapshot'];
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';
const CUSTOM_RESOURCE = 'AWS::CloudFormation::CustomResource';
// The spec models tags of the old resource specification as a builtin rather than as a type definition.
const TAG_PROPERTIES: Record<string, Property> = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

/** What an intrinsic function evaluates to, as far as can be told without deploying. */
type Yield = 'single' | 'list' | 'unknown';

interface Expectation {
  type: PropertyType;
  resourceType: string;
  /** The type owning the property when the property is required, so that AWS::NoValue in its place is a problem. */
  requiredOf: string | undefined;
}

interface Scope {
  db: SpecDatabase;
  resources: Map<string, string>;
  parameterTypes: Map<string, string>;
  conditions: Set<string>;
  mappings: Set<string>;
  transforms: Set<string>;
}

function intrinsicOf(value: unknown): [string, unknown] | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) return undefined;
  return key === 'Ref' || key.startsWith('Fn::') ? [key, value[key]] : undefined;
}

function isNoValue(value: unknown): boolean {
  const intrinsic = intrinsicOf(value);
  return intrinsic !== undefined && intrinsic[0] === 'Ref' && intrinsic[1] === 'AWS::NoValue';
}

function isCustomType(type: string): boolean {
  return type === CUSTOM_RESOURCE || type.startsWith('Custom::');
}

function isListParameter(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<') || type.startsWith('AWS::SSM::Parameter::Value<List<') || type === 'AWS::SSM::Parameter::Value<CommaDelimitedList>';
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} (${String(value)})`;
  return 'an object';
}

function yieldOf(type: PropertyType): Yield {
  switch (type.type) {
    case 'array':
      return 'list';
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'date-time':
      return 'single';
    default:
      return 'unknown';
  }
}

/** Whether an intrinsic function's result can stand where a value of this type is expected. */
function accepts(type: PropertyType, yields: Yield): boolean {
  if (yields === 'unknown') return true;
  switch (type.type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'date-time':
    case 'null':
      return yields === 'single';
    case 'array':
      return yields === 'list';
    case 'json':
      return yields === 'single';
    case 'union':
      return type.types.some((member) => accepts(member, yields));
    case 'ref':
    case 'map':
    case 'tag':
      return false;
  }
}

/** Whether a literal has the JavaScript shape of the type, right or wrong inside. */
function shapeMatches(type: PropertyType, value: unknown): boolean {
  switch (type.type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'date-time':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'json':
      return typeof value === 'string' || isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'ref':
    case 'map':
    case 'tag':
      return isRecord(value);
    case 'union':
      return type.types.some((member) => shapeMatches(member, value));
  }
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

class Checker {
  readonly problems: string[] = [];
  properties = 0;

  constructor(
    private readonly scope: Scope,
    /** In the Conditions section, where Ref may name only parameters and `{ Condition: Name }` is a reference. */
    private readonly inConditions = false,
  ) {}

  fork(inConditions = this.inConditions): Checker {
    return new Checker(this.scope, inConditions);
  }

  absorb(fork: Checker): void {
    this.problems.push(...fork.problems);
    this.properties += fork.properties;
  }

  private problem(line: string): void {
    this.problems.push(line);
  }

  private specResource(type: string): SpecResource | undefined {
    return this.scope.db.lookup('resource', 'cloudFormationType', 'equals', type)[0];
  }

  resource(id: string, resource: unknown): void {
    if (!isRecord(resource)) {
      this.problem(`${id}: expected an object, got ${describeValue(resource)}`);
      return;
    }
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.includes(key)) this.problem(`${id}.${key}: not a key of a resource (${RESOURCE_KEYS.join(', ')})`);
    }
    this.resourceAttributes(id, resource);
    const { Type: type, Properties: properties } = resource;
    const spec = typeof type === 'string' ? this.specResource(isCustomType(type) ? CUSTOM_RESOURCE : type) : undefined;
    if (typeof type !== 'string') this.problem(`${id}.Type: expected a resource type, got ${describeValue(type)}`);
    else if (spec === undefined) this.problem(`${id}.Type: no such resource type ${type}`);
    else if (spec.cloudFormationTransform !== undefined && !this.scope.transforms.has(spec.cloudFormationTransform)) {
      this.problem(`${id}.Type: ${type} needs Transform ${spec.cloudFormationTransform}`);
    }
    if (properties !== undefined && !isRecord(properties)) {
      this.problem(`${id}.Properties: expected an object, got ${describeValue(properties)}`);
      return;
    }
    const values = properties ?? {};
    if (typeof type !== 'string' || spec === undefined) {
      // Without a type to check against, the references the properties make can still be checked.
      this.any(`${id}.Properties`, values);
      return;
    }
    this.object(`${id}.Properties`, values, spec.properties, type, type, isCustomType(type));
  }

  private resourceAttributes(id: string, resource: Record<string, unknown>): void {
    const { Condition: condition, DependsOn: dependsOn, DeletionPolicy: deletionPolicy, UpdateReplacePolicy: updateReplacePolicy } = resource;
    if (condition !== undefined) this.conditionName(`${id}.Condition`, condition);
    if (dependsOn !== undefined) {
      const targets = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
      for (const target of targets) {
        if (typeof target !== 'string') this.problem(`${id}.DependsOn: expected a logical id, got ${describeValue(target)}`);
        else if (!this.scope.resources.has(target)) this.problem(`${id}.DependsOn: no such resource ${target}`);
      }
    }
    for (const [key, value, allowed] of [
      ['DeletionPolicy', deletionPolicy, DELETION_POLICIES],
      ['UpdateReplacePolicy', updateReplacePolicy, UPDATE_REPLACE_POLICIES],
    ] as const) {
      if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
        this.problem(`${id}.${key}: ${JSON.stringify(value)} is not an allowed value (${allowed.join(', ')})`);
      }
    }
  }

  private conditionName(path: string, name: unknown): void {
    if (typeof name !== 'string') this.problem(`${path}: expected a condition name, got ${describeValue(name)}`);
    else if (!this.scope.conditions.has(name)) this.problem(`${path}: no such condition ${name}`);
  }

  /**
   * The keys of an object the spec types. `open` objects (custom resources) take any further property, whose
   * value is only checked for references.
   */
  private object(path: string, value: Record<string, unknown>, properties: Record<string, Property>, owner: string, resourceType: string, open = false): void {
    for (const [name, child] of Object.entries(value)) {
      this.properties += 1;
      const at = `${path}.${name}`;
      const property = own(properties, name);
      if (property === undefined) {
        if (!open) this.problem(`${at}: no such property of ${owner}`);
        this.any(at, child);
      } else if (isNoValue(child)) {
        if (property.required === true) this.problem(`${at}: required property of ${owner} is absent (AWS::NoValue)`);
      } else {
        this.value(at, { type: property.type, resourceType, requiredOf: property.required === true ? owner : undefined }, child);
      }
    }
    for (const [name, property] of Object.entries(properties)) {
      if (property.required === true && !Object.hasOwn(value, name)) this.problem(`${path}: missing required property ${name} of ${owner}`);
    }
  }

  private value(path: string, expected: Expectation, value: unknown): void {
    const intrinsic = intrinsicOf(value);
    if (intrinsic !== undefined) {
      this.intrinsic(path, intrinsic[0], intrinsic[1], expected);
      return;
    }
    const { type, resourceType } = expected;
    const wrongShape = (): void => this.problem(`${path}: expected ${this.describeType(type, resourceType)}, got ${describeValue(value)}`);
    switch (type.type) {
      case 'string':
      case 'date-time':
        // CloudFormation turns numbers and booleans into their text where a string is expected.
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') wrongShape();
        else if (type.type === 'string' && type.allowedValues !== undefined && !type.allowedValues.includes(String(value))) {
          this.problem(`${path}: ${JSON.stringify(value)} is not an allowed value (${type.allowedValues.join(', ')})`);
        }
        return;
      case 'number':
        if (!(typeof value === 'number' && Number.isFinite(value)) && !(typeof value === 'string' && NUMBER.test(value))) wrongShape();
        return;
      case 'integer':
        if (!(typeof value === 'number' && Number.isInteger(value)) && !(typeof value === 'string' && INTEGER.test(value))) wrongShape();
        else if (type.allowedValues !== undefined && !type.allowedValues.includes(Number(value))) {
          this.problem(`${path}: ${JSON.stringify(value)} is not an allowed value (${type.allowedValues.join(', ')})`);
        }
        return;
      case 'boolean':
        if (typeof value !== 'boolean' && !(typeof value === 'string' && /^(true|false)$/i.test(value))) wrongShape();
        return;
      case 'null':
        if (value !== null) wrongShape();
        return;
      case 'json':
        if (isRecord(value)) this.any(path, value);
        else if (typeof value !== 'string') wrongShape();
        return;
      case 'tag':
        if (isRecord(value)) this.object(path, value, TAG_PROPERTIES, 'Tag', resourceType);
        else wrongShape();
        return;
      case 'ref': {
        const definition = this.scope.db.get('typeDefinition', type.reference);
        if (isRecord(value)) this.object(path, value, definition.properties, `${resourceType}.${definition.name}`, resourceType);
        else wrongShape();
        return;
      }
      case 'array':
        if (!Array.isArray(value)) wrongShape();
        else {
          value.forEach((element: unknown, index) => {
            // AWS::NoValue in a list drops the element.
            if (!isNoValue(element)) this.value(`${path}[${index}]`, { type: type.element, resourceType, requiredOf: undefined }, element);
          });
        }
        return;
      case 'map':
        if (!isRecord(value)) wrongShape();
        else {
          for (const [key, element] of Object.entries(value)) {
            if (!isNoValue(element)) this.value(`${path}.${key}`, { type: type.element, resourceType, requiredOf: undefined }, element);
          }
        }
        return;
      case 'union':
        this.union(path, type, expected, value);
        return;
    }
  }

  /**
   * A literal is right for a union when it is right for one member. When it is right for none, the problems reported
   * are those of the first member of its shape (an object against the object member), which say what to fix.
   */
  private union(path: string, type: TypeUnion<PropertyType>, expected: Expectation, value: unknown): void {
    const attempts = type.types.map((member) => {
      const fork = this.fork();
      fork.value(path, { ...expected, type: member }, value);
      return { member, fork };
    });
    const chosen = attempts.find(({ fork }) => fork.problems.length === 0) ?? attempts.find(({ member }) => shapeMatches(member, value));
    if (chosen === undefined) this.problem(`${path}: expected ${this.describeType(type, expected.resourceType)}, got ${describeValue(value)}`);
    else this.absorb(chosen.fork);
  }

  private describeType(type: PropertyType, resourceType: string): string {
    switch (type.type) {
      case 'string':
        return 'a string';
      case 'date-time':
        return 'a date-time string';
      case 'number':
        return 'a number';
      case 'integer':
        return 'an integer';
      case 'boolean':
        return 'a boolean';
      case 'null':
        return 'null';
      case 'json':
        return 'a JSON object or string';
      case 'tag':
        return 'a tag object';
      case 'ref':
        return `an object (${resourceType}.${this.scope.db.get('typeDefinition', type.reference).name})`;
      case 'array':
        return 'a list';
      case 'map':
        return 'a map (object)';
      case 'union':
        return [...new Set(type.types.map((member) => this.describeType(member, resourceType)))].join(' or ');
    }
  }

  output(name: string, output: unknown): void {
    const path = `Outputs.${name}`;
    if (!isRecord(output)) {
      this.problem(`${path}: expected an object, got ${describeValue(output)}`);
      return;
    }
    for (const [key, value] of Object.entries(output)) {
      if (key === 'Condition') this.conditionName(`${path}.Condition`, value);
      else this.any(`${path}.${key}`, value);
    }
  }

  /** Any value, of any type: every intrinsic function in it is checked for what it refers to. */
  any(path: string, value: unknown): void {
    const intrinsic = intrinsicOf(value);
    if (intrinsic !== undefined) {
      this.intrinsic(path, intrinsic[0], intrinsic[1], undefined);
      return;
    }
    if (this.inConditions && isRecord(value) && Object.keys(value).length === 1 && Object.hasOwn(value, 'Condition')) {
      this.conditionName(`${path}.Condition`, value.Condition);
      return;
    }
    if (Array.isArray(value)) value.forEach((element: unknown, index) => this.any(`${path}[${index}]`, element));
    else if (isRecord(value)) for (const [key, child] of Object.entries(value)) this.any(`${path}.${key}`, child);
  }

  private intrinsic(path: string, fn: string, argument: unknown, expected: Expectation | undefined): void {
    if (fn === 'Fn::If') {
      this.fnIf(path, argument, expected);
      return;
    }
    const yields = this.evaluate(path, fn, argument);
    if (yields !== undefined && expected !== undefined && !accepts(expected.type, yields)) {
      this.problem(`${path}: expected ${this.describeType(expected.type, expected.resourceType)}, got ${fn} (${yields === 'list' ? 'a list' : 'a single value'})`);
    }
  }

  /** Checks an intrinsic function's arguments and references; says what it evaluates to, undefined when it is no function. */
  private evaluate(path: string, fn: string, argument: unknown): Yield | undefined {
    const nested = `${path}.${fn}`;
    switch (fn) {
      case 'Ref':
        if (typeof argument === 'string') return this.ref(path, `Ref ${argument}`, argument);
        this.problem(`${path}: Ref takes a logical id, got ${describeValue(argument)}`);
        return 'unknown';
      case 'Fn::GetAtt':
        return this.getAttArgument(path, argument);
      case 'Fn::Sub':
        this.sub(path, argument);
        return 'single';
      case 'Fn::Join':
      case 'Fn::Base64':
      case 'Fn::ImportValue':
        this.any(nested, argument);
        return 'single';
      case 'Fn::ToJsonString':
      case 'Fn::Length':
        if (!this.scope.transforms.has(LANGUAGE_EXTENSIONS)) this.problem(`${path}: ${fn} needs Transform ${LANGUAGE_EXTENSIONS}`);
        this.any(nested, argument);
        return 'single';
      case 'Fn::Split':
      case 'Fn::GetAZs':
      case 'Fn::Cidr':
        this.any(nested, argument);
        return 'list';
      case 'Fn::FindInMap': {
        const mapName: unknown = Array.isArray(argument) ? argument[0] : undefined;
        if (typeof mapName === 'string' && !this.scope.mappings.has(mapName)) this.problem(`${path}: Fn::FindInMap: no such mapping ${mapName}`);
        this.any(nested, argument);
        return 'unknown';
      }
      case 'Fn::Select':
      case 'Fn::Transform':
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        this.any(nested, argument);
        return 'unknown';
      default:
        this.problem(`${path}: ${fn} is not an intrinsic function`);
        return undefined;
    }
  }

  private fnIf(path: string, argument: unknown, expected: Expectation | undefined): void {
    if (!Array.isArray(argument) || argument.length !== 3) {
      this.problem(`${path}: Fn::If takes [condition, value if true, value if false], got ${describeValue(argument)}`);
      this.any(`${path}.Fn::If`, argument);
      return;
    }
    const items: unknown[] = argument;
    const [condition, ...branches] = items;
    if (typeof condition !== 'string') this.problem(`${path}: Fn::If: expected a condition name, got ${describeValue(condition)}`);
    else if (!this.scope.conditions.has(condition)) this.problem(`${path}: Fn::If: no such condition ${condition}`);
    branches.forEach((branch, index) => {
      const at = `${path}.Fn::If[${index + 1}]`;
      if (isNoValue(branch)) {
        if (expected?.requiredOf !== undefined) this.problem(`${at}: required property of ${expected.requiredOf} is absent (AWS::NoValue)`);
      } else if (expected === undefined) this.any(at, branch);
      else this.value(at, expected, branch);
    });
  }

  /** A Ref to `name`, written as `label` in problems. */
  private ref(path: string, label: string, name: string): Yield {
    if (PSEUDO_PARAMETERS.has(name)) return name === 'AWS::NotificationARNs' ? 'list' : name === 'AWS::NoValue' ? 'unknown' : 'single';
    const parameterType = this.scope.parameterTypes.get(name);
    if (parameterType !== undefined) return isListParameter(parameterType) ? 'list' : 'single';
    if (this.scope.resources.has(name)) {
      if (this.inConditions) this.problem(`${path}: ${label}: conditions can refer only to parameters and pseudo parameters`);
      return 'single';
    }
    this.problem(`${path}: ${label}: no such resource, parameter or pseudo parameter`);
    return 'unknown';
  }

  private getAttArgument(path: string, argument: unknown): Yield {
    if (typeof argument === 'string' && argument.includes('.')) {
      const dot = argument.indexOf('.');
      return this.getAtt(path, `Fn::GetAtt ${argument}`, argument.slice(0, dot), argument.slice(dot + 1));
    }
    if (Array.isArray(argument) && argument.length === 2) {
      const items: unknown[] = argument;
      const [id, attribute] = items;
      if (typeof id === 'string') {
        if (typeof attribute === 'string') return this.getAtt(path, `Fn::GetAtt ${id}.${attribute}`, id, attribute);
        this.any(`${path}.Fn::GetAtt[1]`, attribute);
        return this.getAtt(path, `Fn::GetAtt ${id}`, id, undefined);
      }
    }
    this.problem(`${path}: Fn::GetAtt takes [logical id, attribute] or "LogicalId.Attribute", got ${describeValue(argument)}`);
    return 'unknown';
  }

  /** A GetAtt of `attribute` (undefined when computed) of resource `id`, written as `label` in problems. */
  private getAtt(path: string, label: string, id: string, attribute: string | undefined): Yield {
    const type = this.scope.resources.get(id);
    if (type === undefined) {
      this.problem(`${path}: ${label}: no such resource ${id}`);
      return 'unknown';
    }
    if (this.inConditions) this.problem(`${path}: ${label}: conditions can refer only to parameters and pseudo parameters`);
    // A custom resource returns whatever attributes its provider sends back.
    if (attribute === undefined || isCustomType(type)) return 'unknown';
    const spec = this.specResource(type);
    if (spec === undefined) return 'unknown';
    const found = own(spec.attributes, attribute);
    if (found !== undefined) return yieldOf(found.type);
    // A nested stack's outputs, which the spec lists as one attribute.
    if (attribute.startsWith('Outputs.') && Object.hasOwn(spec.attributes, 'Outputs')) return 'single';
    const names = Object.keys(spec.attributes);
    this.problem(`${path}: ${label}: ${type} has no attribute ${attribute} (${names.length === 0 ? 'it has none' : `it has ${names.join(', ')}`})`);
    return 'unknown';
  }

  private sub(path: string, argument: unknown): void {
    let text: unknown = argument;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(argument) && argument.length === 2) {
      const items: unknown[] = argument;
      const [template, map] = items;
      text = template;
      if (isRecord(map)) variables = map;
      else this.problem(`${path}: Fn::Sub: expected a map of variables, got ${describeValue(map)}`);
    }
    if (typeof text !== 'string') {
      this.problem(`${path}: Fn::Sub takes a string or [string, variables], got ${describeValue(argument)}`);
      return;
    }
    for (const [name, value] of Object.entries(variables)) this.any(`${path}.Fn::Sub[1].${name}`, value);
    for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
      const name = match[1] ?? '';
      if (name.startsWith('!') || Object.hasOwn(variables, name)) continue;
      const label = `Fn::Sub \${${name}}`;
      const dot = name.indexOf('.');
      if (dot < 0) {
        if (!PSEUDO_PARAMETERS.has(name) && !this.scope.parameterTypes.has(name) && !this.scope.resources.has(name)) {
          this.problem(`${path}: ${label}: no such resource, parameter, pseudo parameter or Fn::Sub variable`);
        }
      } else {
        this.getAtt(path, label, name.slice(0, dot), name.slice(dot + 1));
      }
    }
  }
}

function transformsOf(transform: unknown): Set<string> {
  const names = new Set<string>();
  for (const entry of Array.isArray(transform) ? transform : [transform]) {
    if (typeof entry === 'string') names.add(entry);
    else if (isRecord(entry) && typeof entry.Name === 'string') names.add(entry.Name);
  }
  return names;
}

/** Checks a template against the spec; the problems list is empty when the spec finds nothing wrong. */
export async function validateTemplate(template: CfnTemplate): Promise<SpecReport> {
  const db = await loadResourceSpec();
  const resources: Record<string, unknown> = template.Resources;
  const parameters: Record<string, unknown> = template.Parameters ?? {};
  const conditions: Record<string, unknown> = template.Conditions ?? {};
  const outputs: Record<string, unknown> = template.Outputs ?? {};
  const scope: Scope = {
    db,
    resources: new Map(Object.entries(resources).map(([id, resource]) => [id, isRecord(resource) && typeof resource.Type === 'string' ? resource.Type : ''])),
    parameterTypes: new Map(Object.entries(parameters).map(([name, parameter]) => [name, isRecord(parameter) && typeof parameter.Type === 'string' ? parameter.Type : 'String'])),
    conditions: new Set(Object.keys(conditions)),
    mappings: new Set(Object.keys(template.Mappings ?? {})),
    transforms: transformsOf(template.Transform),
  };
  const checker = new Checker(scope);
  for (const [id, resource] of Object.entries(resources)) checker.resource(id, resource);
  const conditionChecker = checker.fork(true);
  for (const [name, condition] of Object.entries(conditions)) conditionChecker.any(`Conditions.${name}`, condition);
  checker.absorb(conditionChecker);
  for (const [name, output] of Object.entries(outputs)) checker.output(name, output);
  return { resources: scope.resources.size, properties: checker.properties, problems: checker.problems };
}

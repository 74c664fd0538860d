// A small descriptor factory for the usual shapes of a collection: list, get, save (create or
// update), create, update and delete. It fills in only what follows from the shape — the tool
// name (`<entity>_<verb>`), the permission (`<prefix>:<action>`, typed), the annotations and the
// Rackd-style REST binding — while each descriptor still states its title, description, schemas
// and verb. Anything unusual is written with defineOperation directly.
import type { z } from 'zod';
import { IdInputSchema } from '../../schemas/common.ts';
import type { Permission } from '../auth/permissions.ts';
import { defineOperation, type Annotations, type HttpBinding, type Operation, type Toolset } from './types.ts';

type CrudAction = 'list' | 'create' | 'read' | 'update' | 'delete';
type Prefix<P> = P extends `${infer X}:${string}` ? X : never;
/** Permission prefixes that have all five CRUD actions. */
export type CrudPrefix = { [X in Prefix<Permission>]: `${X}:${CrudAction}` extends Permission ? X : never }[Prefix<Permission>];

export const READ: Annotations = { readOnly: true, destructive: false, idempotent: true };
export const WRITE: Annotations = { readOnly: false, destructive: false, idempotent: false };
export const DELETE: Annotations = { readOnly: false, destructive: true, idempotent: true };

export interface CrudOptions<P extends CrudPrefix> {
  /** Tool-name stem: `datacenter` gives datacenter_list, datacenter_get, … */
  entity: string;
  /** Permission prefix: `datacenter` gives datacenter:list, datacenter:read, … */
  permission: P;
  /** REST collection path, e.g. `/api/datacenters`; items live at `<path>/:id`. */
  path: string;
  /** MCP toolset of the tools; omit for REST-only operations. */
  toolset?: Toolset;
}

/** What every descriptor still says itself. */
export interface Described<I extends z.ZodType, O extends z.ZodType> {
  title: string;
  description: string;
  input: I;
  output: O;
  run: Operation<I, O>['run'];
  /** Replaces parts of the default binding (e.g. `arrayQuery`). */
  http?: Partial<HttpBinding>;
  annotations?: Partial<Annotations>;
}

export function crud<P extends CrudPrefix>(o: CrudOptions<P>) {
  const perm = <A extends CrudAction>(a: A) => `${o.permission}:${a}` as `${P}:${A}` & Permission;
  const item = `${o.path}/:id`;
  const make = <I extends z.ZodType, O extends z.ZodType>(
    verb: string,
    permission: Operation['permission'],
    annotations: Annotations,
    http: HttpBinding | HttpBinding[],
    d: Described<I, O>,
  ): Operation<I, O> =>
    defineOperation({
      name: `${o.entity}_${verb}`,
      title: d.title,
      description: d.description,
      permission,
      annotations: { ...annotations, ...d.annotations },
      input: d.input,
      output: d.output,
      run: d.run,
      http: Array.isArray(http) ? http.map((h) => ({ ...h, ...d.http })) : { ...http, ...d.http },
      ...(o.toolset && { toolset: o.toolset }),
    });
  type WithId<I extends z.ZodType, O extends z.ZodType> = Omit<Described<I, O>, 'input'> & { input?: I };
  return {
    list: <I extends z.ZodType, O extends z.ZodType>(d: Described<I, O>) =>
      make('list', perm('list'), READ, { method: 'GET', path: o.path, response: 'items' }, d),
    get: <O extends z.ZodType, I extends z.ZodType = typeof IdInputSchema>(d: WithId<I, O>) =>
      make('get', perm('read'), READ, { method: 'GET', path: item }, { ...d, input: (d.input ?? IdInputSchema) as I }),
    /** Create (no id: POST, 201) or update (id: PUT on the item) through one verb. */
    save: <I extends z.ZodType, O extends z.ZodType>(d: Described<I, O>) =>
      make('save', [perm('create'), perm('update')], WRITE, [{ method: 'POST', path: o.path, status: 201, forbid: ['id'] }, { method: 'PUT', path: item }], d),
    create: <I extends z.ZodType, O extends z.ZodType>(d: Described<I, O>) => make('create', perm('create'), WRITE, { method: 'POST', path: o.path, status: 201 }, d),
    update: <I extends z.ZodType, O extends z.ZodType>(d: Described<I, O>) => make('update', perm('update'), WRITE, { method: 'PUT', path: item }, d),
    remove: <O extends z.ZodType, I extends z.ZodType = typeof IdInputSchema>(d: WithId<I, O>) =>
      make('delete', perm('delete'), DELETE, { method: 'DELETE', path: item, status: 204 }, { ...d, input: (d.input ?? IdInputSchema) as I }),
  };
}

import type { Principal, Registry } from '@lepton/registry';
import type { ScenarioService } from '@lepton/scenarios';
import type { Loaders } from './loaders';

/** Built per request (or per subscription connection): the caller, the domain and fresh DataLoaders. */
export interface GraphQLContext {
  principal: Principal;
  /** The caller's Authorization header, forwarded as-is when the API calls a serving process (predict). */
  authorization: string;
  registry: Registry;
  /** The scenario demos (built on the registry). */
  scenarios: ScenarioService;
  loaders: Loaders;
}

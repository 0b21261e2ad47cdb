import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { CapacityWaitlistQuotas1764100000000 } from './1764100000000-CapacityWaitlistQuotas';

/** Every migration, in order. Listed rather than globbed so ts-jest, ts-node and the built app load the same set. */
export const MIGRATIONS = [InitialSchema1764000000000, CapacityWaitlistQuotas1764100000000];

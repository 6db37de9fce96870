// Worker thread entry for check shards (see parallel.ts); loaded from the compiled build.

import { serveShard } from '../snapshot/shards.js';
import { checkShard } from './shard.js';

serveShard(checkShard);

// Worker thread entry for check shards (see parallel.ts); loaded from the compiled build.

import { serveShard } from './parallel.js';
import { checkShard } from './shard.js';

serveShard(checkShard);

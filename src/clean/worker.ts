// Worker thread entry for clean shards (see check/parallel.ts); loaded from the compiled build.

import { serveShard } from '../check/parallel.js';
import { cleanShard } from './shard.js';

serveShard(cleanShard);

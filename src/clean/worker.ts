// Worker thread entry for clean shards (see snapshot/shards.ts); loaded from the compiled build.

import { serveShard } from '../snapshot/shards.js';
import { cleanShard } from './shard.js';

serveShard(cleanShard);

// /events/:slug: every instrument's price path in event time, abnormal returns and CARs with their 95% band,
// the impact table, the news; the view's parameters live in the URL so a view can be shared. The page itself
// is the folder event-page/ (main.ts starts it); this file is the bundle's entry.
import { showFatal } from './dom';
import { main } from './event-page/main';

main().catch(showFatal);

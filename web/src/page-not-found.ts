// The page for an address the server has no page for (served with status 404): names the address asked for.
import { byId } from './dom';

byId('not-found-path').textContent = window.location.pathname;

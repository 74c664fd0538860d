// Registers every page component (each page's template is pages/<name>.html).
import { registerAuthPages } from './auth.ts';
import { registerDashboard } from './dashboard.ts';
import { registerGenericPages } from './generic.ts';
import { registerDevicePages } from './devices.ts';
import { registerIpamPages } from './ipam.ts';
import { registerDiscoveryPages } from './discovery.ts';
import { registerAdminPages } from './admin.ts';

export function registerPages(): void {
  registerAuthPages();
  registerDashboard();
  registerGenericPages();
  registerDevicePages();
  registerIpamPages();
  registerDiscoveryPages();
  registerAdminPages();
}

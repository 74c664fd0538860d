// Registers every page component (each page's template is pages/<name>.html).
import { registerAuthPages } from './auth.ts';
import { registerDashboard } from './dashboard.ts';

export function registerPages(): void {
  registerAuthPages();
  registerDashboard();
}

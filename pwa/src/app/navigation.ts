/** The app's one router, bound to the real window. */
import { createRouter } from './router';

export const router = createRouter(window);

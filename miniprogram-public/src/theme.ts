/** One theme for every NutUI component (CSS variables), in the app's green. */
export const theme: Record<string, string> = {
  nutuiColorPrimary: '#1a7f37',
  nutuiColorPrimaryStop1: '#2da44e',
  nutuiColorPrimaryStop2: '#1a7f37',
};

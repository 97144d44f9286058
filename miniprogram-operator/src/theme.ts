/** One theme for every NutUI component (CSS variables), in the operator app's blue. */
export const theme: Record<string, string> = {
  nutuiColorPrimary: '#0b5cad',
  nutuiColorPrimaryStop1: '#1f6feb',
  nutuiColorPrimaryStop2: '#0b5cad',
};

import Taro from '@tarojs/taro';

/**
 * WeChat only delivers a subscribe message the user agreed to, and asks only on a tap: each tap
 * on a task asks once more, so tomorrow's reminder can arrive. H5 builds have no such consent.
 */
export async function askReminderConsent(): Promise<void> {
  if (process.env.TARO_ENV === 'h5' || !YG_SUBSCRIBE_TEMPLATE) return;
  try {
    await Taro.requestSubscribeMessage({ tmplIds: [YG_SUBSCRIBE_TEMPLATE], entityIds: [] });
  } catch {
    // Declined or unsupported: the app works the same, only without reminders.
  }
}

import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { ApiError, type ImportCheck, type ImportJob } from '@ygsa/shared';
import { StatusTag, SubmitButton } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import { pickCsv } from '../../platform';
import './index.scss';

type Step =
  | { at: 'choose'; error?: string }
  | { at: 'checking'; name: string }
  | { at: 'refused'; name: string; problems: { path: string; message: string }[]; error: string }
  | { at: 'checked'; name: string; csv: string; check: ImportCheck; error?: string }
  | { at: 'writing'; name: string; job: ImportJob; error?: string };

/**
 * 许可数据导入 (city administrators): a licence CSV as the licensing system exports it is checked
 * row by row first (nothing is written while any row is wrong, each wrong row is listed), then
 * written in the background with its progress; the same file again is the same import.
 */
export default function ImportPage() {
  const [step, setStep] = useState<Step>({ at: 'choose' });

  // While a file is being written, its progress is asked for every second.
  const jobId = step.at === 'writing' && step.job.state === 'writing' ? step.job.id : null;
  useEffect(() => {
    if (!jobId) return undefined;
    const timer = setInterval(() => {
      api.importJob(jobId).then(
        (job) => setStep((s) => (s.at === 'writing' ? { ...s, job, error: undefined } : s)),
        (e) => setStep((s) => (s.at === 'writing' ? { ...s, error: messageOf(e) } : s)),
      );
    }, 1000);
    return () => clearInterval(timer);
  }, [jobId]);

  const choose = async () => {
    try {
      await signedIn();
      const file = await pickCsv();
      if (!file) return;
      setStep({ at: 'checking', name: file.name });
      try {
        setStep({ at: 'checked', name: file.name, csv: file.text, check: await api.checkImport(file.text) });
      } catch (e) {
        setStep(
          e instanceof ApiError && e.details?.length
            ? { at: 'refused', name: file.name, problems: e.details, error: e.message }
            : { at: 'choose', error: messageOf(e) },
        );
      }
    } catch (e) {
      setStep({ at: 'choose', error: messageOf(e) });
    }
  };
  const write = async (name: string, csv: string, check: ImportCheck) => {
    try {
      setStep({ at: 'writing', name, job: await api.startImport(csv) });
    } catch (e) {
      setStep({ at: 'checked', name, csv, check, error: messageOf(e) });
    }
  };

  return (
    <View className="import" id="import">
      <View className="import__card">
        <Text className="import__title">许可数据导入</Text>
        <Text className="import__muted">
          上传许可系统导出的 CSV（UTF-8，每个文件不超过 5000
          行）。先逐行检查，任何一行有误都不会写入；检查通过后确认导入。同一文件重复上传不会重复导入。
        </Text>
        <Button id="import-choose" type="primary" onClick={() => void choose()}>
          {step.at === 'choose' ? '选择 CSV 文件' : '重新选择文件'}
        </Button>
        {step.at === 'choose' && step.error && <Text className="import__error">{step.error}</Text>}
      </View>

      {step.at === 'checking' && (
        <View className="import__card">
          <Text className="import__muted">正在检查 {step.name}…</Text>
        </View>
      )}

      {step.at === 'refused' && (
        <View className="import__card" id="import-problems">
          <Text className="import__title">{step.name}：未导入</Text>
          <Text className="import__error">{step.error}</Text>
          {step.problems.slice(0, 100).map((p, i) => (
            <Text key={i} className="import__muted">
              {p.path}：{p.message}
            </Text>
          ))}
          {step.problems.length > 100 && <Text className="import__muted">……共 {step.problems.length} 处问题</Text>}
        </View>
      )}

      {step.at === 'checked' && (
        <View className="import__card" id="import-check">
          <Text className="import__title">{step.name}：检查通过</Text>
          <Text className="import__muted">
            共 {step.check.total} 行：新增 {step.check.toCreate} 家，更新 {step.check.toUpdate} 家，无变化{' '}
            {step.check.unchanged} 家
          </Text>
          <SubmitButton
            id="import-confirm"
            errorId="import-confirm-error"
            error={step.error}
            disabled={step.check.toCreate + step.check.toUpdate === 0}
            onClick={() => void write(step.name, step.csv, step.check)}
          >
            确认导入
          </SubmitButton>
        </View>
      )}

      {step.at === 'writing' && (
        <View className="import__card" id="import-progress">
          <View className="import__row">
            <Text className="import__title">{step.name}</Text>
            <StatusTag
              tone={step.job.state === 'done' ? 'done' : step.job.state === 'writing' ? 'waiting' : 'refused'}
              text={step.job.stateLabel}
            />
          </View>
          <View className="import__bar">
            <View
              className="import__fill"
              style={{ width: `${step.job.toWrite ? Math.round((step.job.written / step.job.toWrite) * 100) : 100}%` }}
            />
          </View>
          <Text className="import__muted">
            已写入 {step.job.written} / {step.job.toWrite} 行
          </Text>
          {step.job.report && (
            <Text className="import__muted" id="import-report">
              导入完成：新增 {step.job.report.created} 家，更新 {step.job.report.updated} 家，无变化{' '}
              {step.job.report.unchanged} 家
            </Text>
          )}
          {step.job.error && <Text className="import__error">{step.job.error}</Text>}
          {step.error && <Text className="import__error">网络异常，稍后自动重试：{step.error}</Text>}
        </View>
      )}
    </View>
  );
}
